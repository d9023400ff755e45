package org.lrm.xero.adapter.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * write is a new version (its id is the version the callers compare). Refresh tokens waiting for Xero to
 * confirm their revocation are in a secret of their own, {@code TOKEN_SECRET_PREFIX + orgId + "/revocation"},
 * JSON {refreshTokens: [...]}.
 *
 * <p>Emptying a secret writes {@code {}} as its current version and takes the {@code AWSPREVIOUS} label off
 * the version before it, so the erased tokens are reachable by no label. Secrets Manager keeps versions
 * without a label (deprecated) until it deletes them itself; reading one needs its version id and
 * {@code secretsmanager:GetSecretValue} on the secret.
 */
public final class SecretsManagerTokenVault implements TokenVault {

    private static final String PREVIOUS = "AWSPREVIOUS";

    private final SecretsManagerClient secrets;
    private final String prefix;
    /** Kept as long as the vault lives: CRaC holds what registers with it weakly. */
    private final Priming priming;

    /** The vault of a function that reads tokens. */
    public SecretsManagerTokenVault(SecretsManagerClient secrets, String prefix) {
        this(secrets, prefix, true);
    }

    /**
     * @param readsTokens whether the function reads tokens: its warm-up then reads one; the OAuth callback
     *     only writes them (its role may not read them), so it is not primed with a read its role refuses
     */
    public SecretsManagerTokenVault(SecretsManagerClient secrets, String prefix, boolean readsTokens) {
        this.secrets = secrets;
        this.prefix = prefix;
        // SnapStart priming: GetSecretValue's whole path, for the token secret of an organisation that has
        // none, answered "not found", so no secret is in the snapshot.
        this.priming = readsTokens ? Priming.register("token vault", () -> read(Priming.ORG)) : null;
    }

    /** The secret's name for an organisation. */
    public String secretName(String orgId) {
        return prefix + orgId;
    }

    /** The name of the secret holding an organisation's refresh tokens waiting for revocation. */
    public String revocationSecretName(String orgId) {
        return prefix + orgId + "/revocation";
    }

    @Override
    public Optional<VaultEntry> read(String orgId) {
        Optional<GetSecretValueResponse> response = get(secretName(orgId));
        if (response.isEmpty()) {
            return Optional.empty();
        }
        JsonNode node = parse(orgId, response.get().secretString());
        String access = text(node, "accessToken");
        if (access == null) {
            return Optional.empty();
        }
        StoredTokens tokens = new StoredTokens(access, text(node, "refreshToken"), instant(node, "accessExpiresAt"),
                text(node, "previousRefreshToken"), instant(node, "previousUsedAt"));
        return Optional.of(new VaultEntry(tokens, response.get().versionId()));
    }

    @Override
    public void write(String orgId, String version, StoredTokens tokens) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("accessToken", tokens.accessToken());
        node.put("refreshToken", tokens.refreshToken());
        node.put("accessExpiresAt", tokens.accessExpiresAt() == null ? null : tokens.accessExpiresAt().toString());
        node.put("previousRefreshToken", tokens.previousRefreshToken());
        node.put("previousUsedAt", tokens.previousUsedAt() == null ? null : tokens.previousUsedAt().toString());
        put(secretName(orgId), node.toString(), version, "Xero tokens of LRM organisation " + orgId);
    }

    @Override
    public void erase(String orgId) {
        empty(secretName(orgId));
    }

    @Override
    public void awaitRevocation(String orgId, String refreshToken) {
        List<String> waiting = new ArrayList<>(awaitingRevocation(orgId));
        if (!waiting.contains(refreshToken)) {
            waiting.add(refreshToken);
            putRevocations(orgId, waiting);
        }
    }

    @Override
    public List<String> awaitingRevocation(String orgId) {
        Optional<GetSecretValueResponse> response = get(revocationSecretName(orgId));
        List<String> out = new ArrayList<>();
        response.map(r -> parse(orgId, r.secretString()).path("refreshTokens"))
                .ifPresent(tokens -> tokens.forEach(t -> out.add(t.asText())));
        return out;
    }

    @Override
    public void revoked(String orgId, Collection<String> refreshTokens) {
        if (refreshTokens.isEmpty()) {
            return;
        }
        List<String> waiting = new ArrayList<>(awaitingRevocation(orgId));
        waiting.removeAll(refreshTokens);
        if (waiting.isEmpty()) {
            empty(revocationSecretName(orgId));
        } else {
            putRevocations(orgId, waiting);
        }
    }

    private void putRevocations(String orgId, List<String> refreshTokens) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        ArrayNode list = node.putArray("refreshTokens");
        refreshTokens.forEach(list::add);
        // Replaced with every change: the version before it is reachable by no label either.
        String secret = revocationSecretName(orgId);
        put(secret, node.toString(), TokenVault.newVersion(), "Xero refresh tokens of LRM organisation " + orgId
                + " waiting for Xero to confirm their revocation");
        forgetPrevious(secret);
    }

    /** Writes {@code {}} as the current version and unlabels the one before it. */
    private void empty(String secret) {
        try {
            secrets.putSecretValue(b -> b.secretId(secret).secretString("{}"));
        } catch (ResourceNotFoundException e) {
            return; // nothing stored: nothing to erase
        }
        forgetPrevious(secret);
    }

    /** Takes the AWSPREVIOUS label off whichever version holds it: nothing older is reachable by a label. */
    private void forgetPrevious(String secret) {
        Map<String, List<String>> stages = secrets.describeSecret(b -> b.secretId(secret)).versionIdsToStages();
        stages.forEach((versionId, labels) -> {
            if (labels.contains(PREVIOUS)) {
                secrets.updateSecretVersionStage(b -> b.secretId(secret).versionStage(PREVIOUS)
                        .removeFromVersionId(versionId));
            }
        });
    }

    private Optional<GetSecretValueResponse> get(String secret) {
        try {
            return Optional.of(secrets.getSecretValue(b -> b.secretId(secret)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private void put(String secret, String value, String version, String description) {
        try {
            secrets.putSecretValue(b -> b.secretId(secret).secretString(value).clientRequestToken(version));
        } catch (ResourceNotFoundException e) {
            try {
                secrets.createSecret(b -> b.name(secret).secretString(value).clientRequestToken(version)
                        .description(description));
            } catch (ResourceExistsException raced) {
                secrets.putSecretValue(b -> b.secretId(secret).secretString(value).clientRequestToken(version));
            }
        }
    }

    private static JsonNode parse(String orgId, String value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a token secret of " + orgId + " is not JSON");
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
