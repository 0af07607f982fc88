package dev.shoal.bmcsim.bmc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.http.Json;

import java.util.List;

/**
 * DMTF Base registry messages, in the registry version a personality reports ("Base.1.12", "Base.1.8").
 * Wording follows the published Base registry, so clients that match on MessageId suffixes or on the
 * message text see what a real BMC would send. {@code detail}, where given, names the concrete problem
 * (the URL, the slot) and becomes the top-level {@code message}.
 */
public final class Messages {
    private final String registry;

    public Messages(String registry) {
        this.registry = registry;
    }

    public String registry() {
        return registry;
    }

    public String id(String key) {
        return registry + "." + key;
    }

    /** A one-message error: code and message at the top repeat the one ExtendedInfo entry, as most BMCs send. */
    public static RedfishError error(int status, String messageId, String message, List<String> args, List<String> related,
                                     String severity, String resolution) {
        ObjectNode info = Json.object();
        info.put("@odata.type", "#Message.v1_1_1.Message");
        info.put("MessageId", messageId);
        info.put("Message", message);
        info.set("MessageArgs", Json.strings(args));
        ArrayNode rel = Json.array();
        related.forEach(p -> rel.add("#/" + p));
        info.set("RelatedProperties", rel);
        info.put("Severity", severity);
        info.put("Resolution", resolution);
        ObjectNode error = Json.object();
        error.put("code", messageId);
        error.put("message", message);
        error.set("@Message.ExtendedInfo", Json.array().add(info));
        return new RedfishError(status, Json.object().set("error", error));
    }

    private RedfishError base(int status, String key, String message, List<String> args, List<String> related, String resolution) {
        return error(status, id(key), message, args, related, status >= 500 ? "Critical" : "Warning", resolution);
    }

    public RedfishError propertyValueNotInList(String property, String value, List<String> allowed) {
        return base(400, "PropertyValueNotInList", "The value '" + value + "' for the property " + property
                        + " is not in the list of acceptable values.", List.of(value, property), List.of(property),
                "Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed. Allowed: "
                        + String.join(", ", allowed));
    }

    public RedfishError propertyValueTypeError(String property, String value) {
        return base(400, "PropertyValueTypeError", "The value '" + value + "' for the property " + property
                        + " is of a different type than the property can accept.", List.of(value, property), List.of(property),
                "Correct the value for the property in the request body and resubmit the request if the operation failed.");
    }

    public RedfishError propertyUnknown(String property) {
        return base(400, "PropertyUnknown", "The property " + property
                        + " is not in the list of valid properties for the resource.", List.of(property), List.of(property),
                "Remove the unknown property from the request body and resubmit the request if the operation failed.");
    }

    public RedfishError propertyNotWritable(String property, String detail) {
        String m = "The property " + property + " is a read only property and cannot be assigned a value.";
        return base(400, "PropertyNotWritable", detail == null ? m : m + " " + detail, List.of(property), List.of(property),
                "Remove the property from the request body and resubmit the request if the operation failed.");
    }

    public RedfishError propertyMissing(String property, String detail) {
        String m = "The property " + property + " is a required property and must be included in the request.";
        return base(400, "PropertyMissing", detail == null ? m : m + " " + detail, List.of(property), List.of(property),
                "Ensure that the property is in the request body and has a valid value and resubmit the request if the operation failed.");
    }

    public RedfishError actionParameterMissing(String action, String parameter) {
        return base(400, "ActionParameterMissing", "The action " + action + " requires the parameter " + parameter
                        + " to be present in the request body.", List.of(action, parameter), List.of(parameter),
                "Supply the action with the required parameter in the request body when the request is resubmitted.");
    }

    public RedfishError actionParameterUnknown(String action, String parameter) {
        return base(400, "ActionParameterUnknown", "The action " + action + " was submitted with the invalid parameter "
                        + parameter + ".", List.of(action, parameter), List.of(parameter),
                "Correct the invalid parameter and resubmit the request if the operation failed.");
    }

    public RedfishError actionParameterValueNotInList(String value, String parameter, String action, List<String> allowed) {
        return base(400, "ActionParameterValueNotInList", "The value '" + value + "' for the parameter " + parameter
                        + " in the action " + action + " is not in the list of acceptable values.", List.of(value, parameter, action),
                List.of(parameter), "Choose a value from the enumeration list and resubmit the request if the operation failed. Allowed: "
                        + String.join(", ", allowed));
    }

    public RedfishError actionParameterValueTypeError(String value, String parameter, String action) {
        return base(400, "ActionParameterValueTypeError", "The value '" + value + "' for the parameter " + parameter
                        + " in the action " + action + " is of a different type than the parameter can accept.",
                List.of(value, parameter, action), List.of(parameter),
                "Correct the value for the parameter in the request body and resubmit the request if the operation failed.");
    }

    public RedfishError actionParameterValueFormatError(String value, String parameter, String action, String detail) {
        String m = "The value '" + value + "' for the parameter " + parameter + " in the action " + action
                + " is of a different format than the parameter can accept.";
        return base(400, "ActionParameterValueFormatError", detail == null ? m : m + " " + detail, List.of(value, parameter, action),
                List.of(parameter), "Correct the value for the parameter in the request body and resubmit the request if the operation failed.");
    }

    public RedfishError actionParameterNotSupported(String parameter, String action, String detail) {
        String m = "The parameter " + parameter + " for the action " + action + " is not supported on the target resource.";
        return base(400, "ActionParameterNotSupported", detail == null ? m : m + " " + detail, List.of(parameter, action),
                List.of(parameter), "Remove the parameter supplied and resubmit the request if the operation failed.");
    }

    public RedfishError actionNotSupported(int status, String action, String detail) {
        String m = "The action " + action + " is not supported by the resource.";
        return base(status, "ActionNotSupported", detail == null ? m : m + " " + detail, List.of(action), List.of(),
                "The action supplied cannot be resubmitted to the implementation.  Perhaps the action was invalid, the wrong resource was the target or the implementation documentation may be of assistance.");
    }

    public RedfishError malformedJson() {
        return base(400, "MalformedJSON", "The request body submitted was malformed JSON and could not be parsed by the receiving service.",
                List.of(), List.of(), "Ensure that the request body is valid JSON and resubmit the request.");
    }

    public RedfishError resourceMissingAtUri(String uri) {
        return base(404, "ResourceMissingAtURI", "The resource at the URI " + uri + " was not found.", List.of(uri), List.of(),
                "Place a valid resource at the URI or correct the URI and resubmit the request.");
    }

    public RedfishError noValidSession() {
        return base(401, "NoValidSession", "There is no valid session established with the implementation.", List.of(), List.of(),
                "Establish a session before attempting any operations.")
                .withHeader("WWW-Authenticate", "Basic realm=\"Redfish\"");
    }

    public RedfishError accessDenied(String uri) {
        return base(401, "AccessDenied", "While attempting to establish a connection to " + uri + ", the service denied access.",
                List.of(uri), List.of(), "Attempt to ensure that the URI is correct and that the service has the appropriate credentials.")
                .withHeader("WWW-Authenticate", "Basic realm=\"Redfish\"");
    }

    public RedfishError preconditionFailed() {
        return base(412, "PreconditionFailed", "The ETag supplied did not match the ETag required to change this resource.",
                List.of(), List.of(), "Try the operation again using the appropriate ETag.");
    }

    public RedfishError resourceInUse(String detail) {
        String m = "The change to the requested resource failed because the resource is in use or in transition.";
        return base(409, "ResourceInUse", detail == null ? m : m + " " + detail, List.of(), List.of(),
                "Remove the condition and resubmit the request if the operation failed.");
    }

    public RedfishError internalError() {
        return base(500, "InternalError", "The request failed due to an internal service error.  The service is still operational.",
                List.of(), List.of(), "Resubmit the request.  If the problem persists, consider resetting the service.");
    }

    public RedfishError serviceTemporarilyUnavailable(int seconds) {
        return base(503, "ServiceTemporarilyUnavailable", "The service is temporarily unavailable.  Retry in " + seconds + " seconds.",
                List.of(String.valueOf(seconds)), List.of(), "Wait for the indicated retry duration and retry the operation.")
                .withHeader("Retry-After", String.valueOf(seconds));
    }

    public RedfishError couldNotEstablishConnection(int status, String uri, String detail) {
        return base(status, "CouldNotEstablishConnection", "The service failed to establish a connection with the URI " + uri
                        + ": " + detail, List.of(uri), List.of("Image"),
                "Ensure that the URI contains a valid and reachable node name, protocol information and other URI components.");
    }

    public RedfishError methodNotAllowed(String method, String uri, String allow) {
        return base(405, "GeneralError", "The HTTP method " + method + " is not allowed on " + uri + "; the resource allows "
                + allow + ".", List.of(), List.of(), "Use a method the resource allows.").withHeader("Allow", allow);
    }

    public RedfishError generalError(int status, String message) {
        return base(status, "GeneralError", message, List.of(), List.of(), "None.");
    }
}
