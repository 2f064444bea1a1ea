using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.Framing;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;

namespace McpSsh.Gateway;

/// <summary>
/// Several stdio MCP servers merged into one MCP server on the host's stdin/stdout. Only the fields that must
/// change are rewritten (ids, merged names); every other field of every message passes through. Requests from
/// backends to the host get gateway-unique ids and their answers go back to the backend that asked.
/// </summary>
/// <remarks>Partial files: .Client (host frames), .Backends (backend frames, forwarding), .Lifecycle (exits, restarts), .FanOut (merged requests), .Eras (host and backend eras, discover, the bridge), .Listen (subscriptions), .Notifications (change notifications), .InputRequired (input requests across eras).</remarks>
public sealed partial class GatewaySession
{
    private readonly List<Backend> _backends;
    private readonly PipeReader _clientInput;
    private readonly IFrameSink _clientOutput;
    private readonly GatewayOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly RequestTable _requests = new();
    private readonly InFlightRequests _clientInFlight = new();
    private readonly NameMap _tools;
    private readonly NameMap _prompts;
    private readonly Dictionary<string, Backend> _resourceOwners = new(StringComparer.Ordinal);
    private readonly List<(string Template, Backend Owner)> _templates = [];
    private JsonObject? _clientInitializeParams;
    private JsonObject? _mergedCapabilities;
    private bool _clientInitialized;
    private readonly TaskCompletionSource _initializeDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopping;
    private readonly TaskCompletionSource _firstFrameSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="time">The clock for restart backoff, the first-frame bound and the shutdown wait (tests pass a manual one); null: the system clock.</param>
    public GatewaySession(IReadOnlyList<ServerConfig> configs, PipeReader clientInput, IFrameSink clientOutput, GatewayOptions options, ILogger logger, TimeProvider? time = null)
    {
        _backends = configs.Select(c => new Backend(c)).ToList();
        _clientInput = clientInput;
        _clientOutput = clientOutput;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _tools = new NameMap(options.NamePolicy);
        _prompts = new NameMap(options.NamePolicy);
    }

    /// <summary>Starts every backend at once, serves the host until stdin ends (or <paramref name="stop"/>), then stops them all.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        foreach (Backend backend in _backends)
        {
            StartBackend(backend);
        }

        ProbeBackends();
        Task pump = PumpClientAsync(stop);
        if (_options.FirstFrameTimeout is { } bound)
        {
            // A stdin read does not honour cancellation: the session watches the deadline beside the pump and,
            // if it passes with no valid message, shuts down and returns, leaving the stuck read behind.
            Task deadline = Task.Delay(bound, _time);
            if (await Task.WhenAny(pump, _firstFrameSeen.Task, deadline) == deadline && !_firstFrameSeen.Task.IsCompleted)
            {
                _logger.LogFirstFrameTimeout(bound.TotalSeconds);
                await ShutdownAsync();
                return;
            }
        }

        await pump;
        await ShutdownAsync();
    }

    private async Task PumpClientAsync(CancellationToken stop)
    {
        try
        {
            await FramePump.RunAsync(_clientInput, _options.MaxFrameBytes, OnClientFrame, stop);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // stdin closed or we were told to stop: shut down the same way.
        }
    }

    /// <summary>The host spoke JSON-RPC: the first-frame bound no longer applies.</summary>
    private void SawFirstFrame() => _firstFrameSeen.TrySetResult();

    private async Task ShutdownAsync()
    {
        // Answers first (an MCP server may cancel in-flight work when its stdin closes), for at most 2 s.
        await Task.WhenAny(_clientInFlight.WhenEmpty(), Task.Delay(BackendProcess.ShutdownTimeout, _time));
        lock (_lock)
        {
            _stopping = true;
        }

        await Task.WhenAll(_backends.Select(b => b.Process?.StopAsync() ?? Task.CompletedTask));
    }

    /// <summary>Requests pipelined behind the host's initialize wait for the backends to be initialized.</summary>
    private Task WhenInitialized()
    {
        lock (_lock)
        {
            return _clientInitializeParams is null ? _probed : Task.WhenAll(_probed, _initializeDone.Task);
        }
    }

    private void WriteToClient(JsonNode message) => WriteToClient(JsonFrameWriter.Write(message));

    private void WriteToClient(byte[] frame) => WriteToClient(new ReadOnlySequence<byte>(frame));

    private void WriteToClient(ReadOnlySequence<byte> frame)
    {
        try
        {
            _clientOutput.Write(frame);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The host is gone; stdin EOF follows and ends the session.
        }
    }

    /// <summary>Every answer to a host request goes through here or <see cref="ReplyResult"/>, which keeps the in-flight set exact.</summary>
    private void ReplyError(string? clientId, JsonRpcErrorCode code, string message)
    {
        WriteToClient(JsonRpcErrorWriter.Write(clientId, code, message));
        if (clientId is not null)
        {
            _clientInFlight.Remove(clientId);
        }
    }

    private void ReplyResult(string clientId, JsonNode result)
    {
        // The id is spliced as the canonical raw text the inspector made; it is never decoded.
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonFrameWriter.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WritePropertyName("id"u8);
            writer.WriteRawValue(clientId, skipInputValidation: true);
            writer.WritePropertyName("result"u8);
            result.WriteTo(writer);
            writer.WriteEndObject();
        }

        WriteToClient(new ReadOnlySequence<byte>(buffer.WrittenMemory));
        _clientInFlight.Remove(clientId);
    }

    private static JsonObject? ParseObject(ReadOnlySequence<byte> frame)
    {
        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 512 });
        return JsonNode.Parse(ref reader, new JsonNodeOptions()) as JsonObject;
    }
}
