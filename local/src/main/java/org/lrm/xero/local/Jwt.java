package org.lrm.xero.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 JSON Web Tokens for the local gateway: what API Gateway's JWT authorizer checks in AWS
 * (signature, issuer, audience, expiry), with a shared secret instead of the LRM's JWKS.
 */
public final class Jwt {

    public static final String ISSUER = "local";
    public static final String AUDIENCE = "xero-integration";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final byte[] key;

    public Jwt(String secret) {
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A token for a user: {@code learnerId} only with role learner. An operator (the vendor's
     * support staff) belongs to no organisation: their token has no {@code org} claim.
     */
    public String forUser(String orgId, String role, String userId, String learnerId, Instant now, Duration ttl) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", userId);
        if (!"operator".equals(role)) {
            claims.put("org", orgId);
        }
        claims.put("role", role);
        if (learnerId != null) {
            claims.put("learner", learnerId);
        }
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        return sign(claims);
    }

    public String sign(Map<String, Object> claims) {
        try {
            String signingInput = HEADER + "." + B64.encodeToString(JSON.writeValueAsBytes(claims));
            return signingInput + "." + B64.encodeToString(mac(signingInput));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The token's claims when it is an HS256 token signed with our key, for our issuer and audience, not expired. */
    public Optional<Map<String, Object>> verify(String token, Instant now) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Map<String, Object> header = JSON.readValue(Base64.getUrlDecoder().decode(parts[0]), new TypeReference<>() { });
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            if (!"HS256".equals(header.get("alg"))
                    || !MessageDigest.isEqual(signature, mac(parts[0] + "." + parts[1]))) {
                return Optional.empty();
            }
            Map<String, Object> claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), new TypeReference<>() { });
            Object aud = claims.get("aud");
            boolean audienceOk = aud instanceof List<?> l ? l.contains(AUDIENCE) : AUDIENCE.equals(aud);
            boolean live = claims.get("exp") instanceof Number exp && now.getEpochSecond() < exp.longValue()
                    && !(claims.get("nbf") instanceof Number nbf && now.getEpochSecond() < nbf.longValue());
            return ISSUER.equals(claims.get("iss")) && audienceOk && live ? Optional.of(claims) : Optional.empty();
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
