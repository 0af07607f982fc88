package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.secrets.Secret;

import java.util.Map;

/**
 * A validated job submission. The public parts ({@code server}, {@code recipe}, {@code labels}) are
 * normalised JSON with defaults filled in and every secret replaced by {@link Secret#MASK}; the secrets
 * themselves travel separately and are stored sealed.
 *
 * @param serverKey identifies the BMC system, so that one server runs one job at a time
 * @param recipeSecrets secret recipe fields by JSON path, e.g. {@code pull_secret}, {@code config_drive.user_data}
 */
public record JobRequest(ObjectNode server, Secret bmcPassword, String serverKey, ObjectNode recipe,
                         Map<String, Secret> recipeSecrets, ObjectNode labels) {
}
