package org.lrm.xero.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Isolated: it replaces the process's one metrics sink while it runs. */
@Isolated
class MetricsTest {

    @AfterEach
    void restore() {
        Metrics.sinkToStdout();
    }

    @Test
    void writesOneEmbeddedMetricFormatLinePerMeasurement() throws Exception {
        List<String> lines = new ArrayList<>();
        Metrics.sink(lines::add);

        Metrics.emit(Map.of("TenantId", "t-1", "Problem", "minute"), Metrics.count("XeroRateLimited", 1));

        assertThat(lines).hasSize(1);
        JsonNode line = Json.MAPPER.readTree(lines.get(0));
        JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
        assertThat(line.get("_aws").get("Timestamp").isNumber()).isTrue();
        assertThat(directive.get("Namespace").asText()).isEqualTo("LrmXeroIntegration");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Problem\",\"TenantId\"]]");
        assertThat(directive.get("Metrics").toString()).isEqualTo("[{\"Name\":\"XeroRateLimited\",\"Unit\":\"Count\"}]");
        assertThat(line.get("TenantId").asText()).isEqualTo("t-1");
        assertThat(line.get("XeroRateLimited").asDouble()).isEqualTo(1.0);
    }
}
