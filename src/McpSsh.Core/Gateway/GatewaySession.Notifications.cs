using System.Buffers;
using System.Globalization;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Gateway;

/// <summary>Change notifications from backends, routed to the host in its era, and the notifications the gateway writes itself.</summary>
public sealed partial class GatewaySession
{
    /// <summary>
    /// A backend's change notification, routed by era: a modern backend's (stamped with the gateway's listen id)
    /// is restamped with the host's listen id or, for a legacy host, unstamped; a legacy backend's goes to a
    /// modern host only through the listens that asked for it. False: not the bridge's business, pass it on.
    /// </summary>
    private bool RouteChangeNotification(Backend backend, FrameInfo info, ReadOnlySequence<byte> frame)
    {
        string method = info.Method!;
        bool change = method is McpMethods.ToolsListChanged or McpMethods.PromptsListChanged or McpMethods.ResourcesListChanged or McpMethods.ResourceUpdated;
        if (!change && method != McpMethods.SubscriptionsAcknowledged)
        {
            return false;
        }

        JsonObject notification = ParseObject(frame)!;
        var parameters = notification["params"] as JsonObject;
        if (Envelope.Meta(parameters)?[McpMetaKeys.SubscriptionId] is JsonValue stamp)
        {
            ListenSpec? spec = null;
            lock (_lock)
            {
                if (stamp.TryGetValue(out long id) || (JsonText.String(stamp) is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id)))
                {
                    spec = _liveListens.GetValueOrDefault(id);
                    if (spec?.Host is { } owner && !IsOpen(owner))
                    {
                        spec = null; // its host listen closed while this part was in flight: nothing more under that id
                    }
                }
            }

            if (spec is null || method == McpMethods.SubscriptionsAcknowledged)
            {
                return true; // an acknowledgement the gateway already answered for, or a listen it no longer holds
            }

            Envelope.Meta(parameters)!.Remove(McpMetaKeys.SubscriptionId);
            if (spec.Host is { } host)
            {
                Envelope.Meta(parameters)![McpMetaKeys.SubscriptionId] = JsonNode.Parse(host.RawId);
            }
            else if (Envelope.Meta(parameters)!.Count == 0)
            {
                parameters!.Remove(McpMetaKeys.Meta);
                if (parameters.Count == 0)
                {
                    notification.Remove("params");
                }
            }

            WriteToClient(notification);
            return true;
        }

        if (HostEra != McpEra.Modern || !change || backend.Era == McpEra.Modern)
        {
            return method == McpMethods.SubscriptionsAcknowledged;
        }

        // A legacy backend's unsolicited notification: the modern era has none, so only listens that asked get it.
        NotifyHostListens(method, JsonText.String(parameters?["uri"]));
        return true;
    }

    /// <summary>Writes <paramref name="method"/> to every host listen that asked for it, stamped with its id.</summary>
    private void NotifyHostListens(string method, string? uri)
    {
        List<HostListen> listens;
        lock (_lock)
        {
            listens = _hostListens.Values.Where(l => l.Wants(method, uri)).ToList();
        }

        foreach (HostListen listen in listens)
        {
            var parameters = new JsonObject();
            if (uri is not null)
            {
                parameters["uri"] = uri;
            }

            parameters[McpMetaKeys.Meta] = new JsonObject { [McpMetaKeys.SubscriptionId] = JsonNode.Parse(listen.RawId) };
            WriteNotification(method, parameters);
        }
    }

    private static JsonObject Notification(string method, JsonObject? parameters = null) =>
        Contracts.Node(new JsonRpcNotification(method, parameters), JsonRpcJsonContext.Default.JsonRpcNotification);

    private void WriteNotification(string method, JsonObject? parameters = null) => WriteToClient(Notification(method, parameters));
}
