using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using McpSsh.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSsh.Gateway;

/// <summary>
/// The two MCP eras. The host's era is decided by its first request: <c>_meta</c> holding the protocolVersion
/// key means modern (2026-07-28), anything else legacy (initialize, as before). Each backend's era is probed
/// at start with server/discover (modern, also for a dual-era server) and falls back to initialize (legacy)
/// when it refuses, stays silent or exits. Each backend is served in its own era whatever the host's; the
/// bridge adds or strips the envelope on requests and resultType / cache hints on results.
/// </summary>
public sealed partial class GatewaySession
{
    /// <summary>A silent legacy server delays the session by at most this much (the host's first answer waits for the probes).</summary>
    private static readonly TimeSpan s_maxProbeTimeout = TimeSpan.FromSeconds(10);

    private McpEra _hostEra = McpEra.Unknown;
    private JsonObject? _hostEnvelope;
    private string? _logLevel;
    private Task _probed = Task.CompletedTask;

    private ImplementationInfo GatewayInfo => new("mcp-ssh-gateway", _options.Version);

    private McpEra HostEra
    {
        get
        {
            lock (_lock)
            {
                return _hostEra;
            }
        }
    }

    /// <summary>Probes every backend that started; the host's first request waits for all of them.</summary>
    private void ProbeBackends() => _probed = Task.WhenAll(_backends.Select(ProbeAsync));

    /// <summary>server/discover with the gateway's envelope: answered means modern; refused or silent, legacy; exited, legacy and restarted.</summary>
    private async Task ProbeAsync(Backend backend)
    {
        if (backend.State != BackendState.Starting || backend.Process is not { } process)
        {
            return;
        }

        backend.Probing = true;
        TimeSpan timeout = _options.InitTimeout < s_maxProbeTimeout ? _options.InitTimeout : s_maxProbeTimeout;
        JsonObject response = (await RequestAsync(backend, McpMethods.Discover, new JsonObject(), timeout)).ToObject();
        lock (_lock)
        {
            backend.Probing = false;
            if (response["result"] is JsonObject result && JsonText.IsWritable(result))
            {
                backend.Era = McpEra.Modern;
                backend.DiscoverResult = result;
                backend.State = BackendState.Ready;
            }
            else
            {
                backend.Era = McpEra.Legacy;
            }
        }

        _logger.LogBackendEra(backend.Name, backend.Era == McpEra.Modern ? McpProtocolVersions.Modern : "legacy (initialize)");
        if (backend.Era == McpEra.Legacy && process.Exited.IsCompleted && !_stopping)
        {
            // A legacy server that exits on a method it does not know: start it again and go straight to initialize.
            StartBackend(backend);
        }
    }

    /// <summary>A restarted backend comes back in the era it had: discover again (modern) or initialize (legacy).</summary>
    private async Task<bool> BringUpAsync(Backend backend)
    {
        if (backend.Era != McpEra.Modern)
        {
            return await InitializeBackendAsync(backend);
        }

        JsonObject response = (await RequestAsync(backend, McpMethods.Discover, new JsonObject())).ToObject();
        if (response["result"] is JsonObject result && JsonText.IsWritable(result))
        {
            lock (_lock)
            {
                backend.DiscoverResult = result;
                backend.State = BackendState.Ready;
            }

            return true;
        }

        backend.FailureReason = $"server/discover failed: {JsonText.String(response["error"]?["message"]) ?? "no result"}";
        return false;
    }

    /// <summary>
    /// The first request decides the host's era. A modern host has no initialize: its first envelope is what the
    /// legacy backends are initialized with (clientCapabilities, clientInfo), and they are told initialized at once.
    /// </summary>
    private McpEra PinHostEra(string method, JsonObject? parameters)
    {
        lock (_lock)
        {
            if (_hostEra != McpEra.Unknown)
            {
                return _hostEra;
            }

            if (method == McpMethods.Initialize || !Envelope.IsModern(parameters))
            {
                _hostEra = McpEra.Legacy;
                return McpEra.Legacy;
            }

            if (Envelope.Validate(parameters) is not null)
            {
                return McpEra.Modern; // answered with the envelope error, and the session is not pinned by it
            }

            _hostEra = McpEra.Modern;
            JsonObject meta = Envelope.Meta(parameters)!;
            _hostEnvelope = [];
            foreach (string key in new[] { McpMetaKeys.ProtocolVersion, McpMetaKeys.ClientCapabilities, McpMetaKeys.ClientInfo })
            {
                if (meta[key] is { } value)
                {
                    _hostEnvelope[key] = value.DeepClone();
                }
            }

            _clientInitializeParams = Envelope.ToInitializeParams(meta, GatewayInfo);
            _clientInitialized = true;
        }

        _ = InitializeLegacyBackendsAsync();
        return McpEra.Modern;
    }

    private async Task InitializeLegacyBackendsAsync()
    {
        try
        {
            await _probed;
            await Task.WhenAll(_backends.Where(b => b.State == BackendState.Starting).Select(InitializeBackendAsync));
        }
        finally
        {
            _initializeDone.TrySetResult();
        }

        var ready = ReadyBackends();
        _logger.LogMerged(ready.Count, string.Join(", ", ready.Select(b => b.Name)));
    }

    /// <summary>Checks a modern host's request against the era: its envelope, and methods the modern era removed. Null: go on.</summary>
    private static JsonRpcErrorDetail? ModernRequestError(string method, JsonObject? parameters)
    {
        if (method == McpMethods.Initialize)
        {
            // As a modern-pinned 2.4.0 server: an initialize with a valid envelope is unknown, one without names an old version.
            return Envelope.IsModern(parameters) && Envelope.Validate(parameters) is null
                ? new JsonRpcErrorDetail((int)JsonRpcErrorCode.MethodNotFound, "Method not found")
                : Envelope.Unsupported(JsonText.String(parameters?["protocolVersion"]));
        }

        if (Envelope.Validate(parameters) is { } invalid)
        {
            return invalid;
        }

        return method is McpMethods.Ping or McpMethods.SetLevel or McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe
            ? new JsonRpcErrorDetail((int)JsonRpcErrorCode.MethodNotFound, $"Method not found: {method} does not exist in protocol revision {McpProtocolVersions.Modern}")
            : null;
    }

    /// <summary>server/discover: the merged view of every backend that is up.</summary>
    private async Task DiscoverAsync(string clientId)
    {
        await WhenInitialized();
        var parts = ReadyBackends().Select(b => b.Era == McpEra.Modern
            ? new DiscoverMerger.Part(b.Name, InitializeMerger.FromDiscover(b.DiscoverResult!), DiscoverMerger.HintsOf(b.DiscoverResult))
            : new DiscoverMerger.Part(b.Name, b.InitializeResult!, DiscoverMerger.Conservative([]))).ToList();
        DiscoverResult merged = DiscoverMerger.Merge(parts, _options.Version);
        lock (_lock)
        {
            _mergedCapabilities = merged.Capabilities;
        }

        ReplyResult(clientId, merged, JsonRpcJsonContext.Default.DiscoverResult);
    }

    /// <summary>
    /// The envelope the gateway's own requests (and a legacy host's) carry to modern backends: the modern host's
    /// first envelope; a legacy host's initialize capabilities, clientInfo and logging level; before either, the gateway's own.
    /// </summary>
    private JsonObject OwnEnvelope()
    {
        lock (_lock)
        {
            return _hostEra == McpEra.Modern && _hostEnvelope is not null
                ? (JsonObject)_hostEnvelope.DeepClone()
                : Envelope.FromInitialize(_clientInitializeParams, _logLevel, GatewayInfo);
        }
    }

    /// <summary>Params as a backend of <paramref name="backend"/>'s era expects them: the envelope added or stripped.</summary>
    private JsonObject? ParamsFor(Backend backend, JsonObject? parameters)
    {
        if (backend.Era == McpEra.Legacy)
        {
            Envelope.Strip(parameters);
            return parameters;
        }

        return backend.Era == McpEra.Modern || backend.Probing ? Envelope.Add(parameters, OwnEnvelope()) : parameters;
    }

    /// <summary>A backend's answer to a host request, in the host's era (legacy result: resultType added; modern: stripped).</summary>
    private ReadOnlySequence<byte> ResultForHost(Backend backend, string? method, ReadOnlySequence<byte> frame) =>
        (HostEra, backend.Era) switch
        {
            (McpEra.Modern, McpEra.Legacy) => ResultRewriter.ToModern(frame, cacheHints: method == McpMethods.ResourcesRead),
            (McpEra.Legacy, McpEra.Modern) => ResultRewriter.ToLegacy(frame),
            _ => frame,
        };

    /// <summary>logging/setLevel from a legacy host: sent to legacy backends, remembered for modern ones (their per-request logLevel).</summary>
    private async Task SetLevelAsync(string clientId, JsonObject request)
    {
        string? level = JsonText.String(request["params"]?["level"]);
        lock (_lock)
        {
            _logLevel = McpFields.LogLevels.Contains(level) ? level : _logLevel;
        }

        List<Backend> backends = await ReadyOrRestartedAsync();
        if (!backends.Any(b => b.Era == McpEra.Legacy))
        {
            ReplyResult(clientId, new JsonObject());
            return;
        }

        await BroadcastRequestAsync(clientId, request, backends.Where(b => b.Era == McpEra.Legacy).ToList());
    }

    /// <summary>Writes the typed cache hints' members into the list result being written.</summary>
    private static void WriteHints(Utf8JsonWriter writer, CacheHints hints)
    {
        foreach (JsonProperty member in JsonSerializer.SerializeToElement(hints, JsonRpcJsonContext.Default.CacheHints).EnumerateObject())
        {
            member.WriteTo(writer);
        }
    }

    private void ReplyError(string? clientId, JsonRpcErrorDetail detail)
    {
        WriteToClient(JsonRpcErrorWriter.Write(clientId, detail));
        if (clientId is not null)
        {
            _clientInFlight.Remove(clientId);
        }
    }

    private void ReplyResult<T>(string clientId, T result, JsonTypeInfo<T> type) =>
        ReplyResult(clientId, JsonSerializer.SerializeToNode(result, type)!);
}
