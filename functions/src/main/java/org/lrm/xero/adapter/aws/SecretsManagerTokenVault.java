package org.lrm.xero.adapter.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.lrm.xero.app.connection.StoredTokens;
import org.lrm.xero.app.connection.TokenVault;
import org.lrm.xero.app.connection.VaultEntry;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.Priming;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The token vault in Secrets Manager: one secret per organisation named {@code TOKEN_SECRET_PREFIX + orgId},
 * its value JSON {accessToken, refreshToken, accessExpiresAt, previousRefreshToken, previousUsedAt}. Every
 * write is a new version (its id is the version the callers compare).
 */
public final class SecretsManagerTokenVault implements TokenVault {

    private final SecretsManagerClient secrets;
    private final String prefix;
    /** Kept as long as the vault lives: CRaC holds what registers with it weakly. */
    private final Priming priming;

    public SecretsManagerTokenVault(SecretsManagerClient secrets, String prefix) {
        this.secrets = secrets;
        this.prefix = prefix;
        // SnapStart priming: GetSecretValue's whole path, for the token secret of an organisation that has
        // none, answered "not found", so no secret is in the snapshot.
        this.priming = Priming.register("token vault", () -> read(Priming.ORG));
    }

    /** The secret's name for an organisation. */
    public String secretName(String orgId) {
        return prefix + orgId;
    }

    @Override
    public Optional<VaultEntry> read(String orgId) {
        GetSecretValueResponse response;
        try {
            response = secrets.getSecretValue(b -> b.secretId(secretName(orgId)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(response.secretString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("token secret of " + orgId + " is not JSON");
        }
        String access = text(node, "accessToken");
        if (access == null) {
            return Optional.empty();
        }
        StoredTokens tokens = new StoredTokens(access, text(node, "refreshToken"), instant(node, "accessExpiresAt"),
                text(node, "previousRefreshToken"), instant(node, "previousUsedAt"));
        return Optional.of(new VaultEntry(tokens, response.versionId()));
    }

    @Override
    public String write(String orgId, StoredTokens tokens) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("accessToken", tokens.accessToken());
        node.put("refreshToken", tokens.refreshToken());
        node.put("accessExpiresAt", tokens.accessExpiresAt() == null ? null : tokens.accessExpiresAt().toString());
        node.put("previousRefreshToken", tokens.previousRefreshToken());
        node.put("previousUsedAt", tokens.previousUsedAt() == null ? null : tokens.previousUsedAt().toString());
        return put(orgId, node.toString());
    }

    @Override
    public void erase(String orgId) {
        try {
            secrets.putSecretValue(b -> b.secretId(secretName(orgId)).secretString("{}"));
        } catch (ResourceNotFoundException e) {
            // nothing stored: nothing to erase
        }
    }

    private String put(String orgId, String value) {
        String version = UUID.randomUUID().toString();
        try {
            return secrets.putSecretValue(b -> b.secretId(secretName(orgId)).secretString(value)
                    .clientRequestToken(version)).versionId();
        } catch (ResourceNotFoundException e) {
            try {
                return secrets.createSecret(b -> b.name(secretName(orgId)).secretString(value)
                        .clientRequestToken(version)
                        .description("Xero tokens of LRM organisation " + orgId)).versionId();
            } catch (ResourceExistsException raced) {
                return secrets.putSecretValue(b -> b.secretId(secretName(orgId)).secretString(value)
                        .clientRequestToken(version)).versionId();
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String s = text(node, field);
        return s == null ? null : Instant.parse(s);
    }
}
