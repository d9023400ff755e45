package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A small, valid PDF 1.4 of an invoice, written by hand (one page, Helvetica, correct xref offsets). */
final class Pdf {
    private Pdf() {}

    static byte[] invoice(Tenant t, ObjectNode inv) {
        List<String> lines = new ArrayList<>();
        lines.add(t.name);
        lines.add("TAX INVOICE " + Json.text(inv, "InvoiceNumber"));
        lines.add("To: " + Json.text(inv.get("Contact"), "Name"));
        lines.add("Date: " + dateOf(Json.text(inv, "DateString")) + "   Due: " + dateOf(Json.text(inv, "DueDateString")));
        lines.add("Reference: " + (Json.text(inv, "Reference") == null ? "" : Json.text(inv, "Reference")));
        lines.add("");
        lines.add("Description | Quantity | Unit Price | Amount AUD");
        for (JsonNode li : inv.withArray("LineItems")) {
            lines.add(Json.text(li, "Description") + " | " + Json.text(li, "Quantity") + " | " + Json.text(li, "UnitAmount") + " | " + Json.text(li, "LineAmount"));
        }
        lines.add("");
        lines.add("Subtotal: " + Json.text(inv, "SubTotal"));
        lines.add("Total GST: " + Json.text(inv, "TotalTax"));
        lines.add("Total AUD: " + Json.text(inv, "Total"));
        lines.add("Amount Paid: " + Json.text(inv, "AmountPaid"));
        lines.add("Amount Credited: " + Json.text(inv, "AmountCredited"));
        lines.add("Amount Due AUD: " + Json.text(inv, "AmountDue"));
        lines.add("Status: " + Json.text(inv, "Status"));

        StringBuilder content = new StringBuilder("BT\n/F1 11 Tf\n14 TL\n50 790 Td\n");
        for (String l : lines) content.append('(').append(escape(l)).append(") Tj T*\n");
        content.append("ET\n");
        byte[] stream = content.toString().getBytes(StandardCharsets.ISO_8859_1);

        List<byte[]> objects = new ArrayList<>();
        objects.add(ascii("<< /Type /Catalog /Pages 2 0 R >>"));
        objects.add(ascii("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"));
        objects.add(ascii("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"));
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(ascii("<< /Length " + stream.length + " >>\nstream\n"));
        s.writeBytes(stream);
        s.writeBytes(ascii("endstream"));
        objects.add(s.toByteArray());
        objects.add(ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"));
        objects.add(ascii("<< /Title (Invoice " + escape(Json.text(inv, "InvoiceNumber")) + ") /Producer (Xero Sandbox) >>"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("%PDF-1.4\n"));
        out.writeBytes(new byte[] {'%', (byte) 0xE2, (byte) 0xE3, (byte) 0xCF, (byte) 0xD3, '\n'});
        long[] offsets = new long[objects.size()];
        for (int i = 0; i < objects.size(); i++) {
            offsets[i] = out.size();
            out.writeBytes(ascii((i + 1) + " 0 obj\n"));
            out.writeBytes(objects.get(i));
            out.writeBytes(ascii("\nendobj\n"));
        }
        long xref = out.size();
        StringBuilder x = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        for (long o : offsets) x.append(String.format("%010d 00000 n \n", o));
        x.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R /Info 6 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
        out.writeBytes(ascii(x.toString()));
        return out.toByteArray();
    }

    private static String dateOf(String ds) { return ds == null ? "" : ds.substring(0, Math.min(10, ds.length())); }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(' || c == ')' || c == '\\') b.append('\\').append(c);
            else if (c < 32 || c > 255) b.append('?');
            else b.append(c);
        }
        return b.toString();
    }
}
