using System.Buffers;
using System.Threading.Channels;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.Cli.Doctor;

/// <summary>
/// A minimal MCP client over the remote channel, for the doctor only: sends a request, waits for the answer with
/// its id (skipping notifications and server requests), with a deadline. Requests are composed as JSON nodes and
/// written with <see cref="JsonFrameWriter"/>; answers, pushed by the channel, are read with <see cref="JsonDocument"/>.
/// </summary>
internal sealed class McpProbe(IRemoteChannel channel, TimeSpan timeout) : IFrameReceiver
{
    // Messages as the channel pushes them, or the failure that ends the probe. Read off the channel's thread (a
    // channel may push on SSH.NET's receive thread, where sending the next request or closing must never run).
    private readonly Channel<Func<JsonElement>> _messages = Channel.CreateUnbounded<Func<JsonElement>>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private int _nextId;
    private bool _delivering;
    private McpProbeException? _ended;

    long IFrameReceiver.MaxFrameBytes => Commands.ClientOptions.DefaultMaxFrameBytes;

    /// <summary>The answer's root element (with <c>result</c> or <c>error</c>); throws <see cref="McpProbeException"/> when the server ends or is silent.</summary>
    public async Task<JsonElement> RequestAsync(string method, JsonObject? parameters, CancellationToken stop)
    {
        StartDelivery();
        int id = ++_nextId;
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            request["params"] = parameters;
        }

        Send(request, new FrameInfo(FrameKind.Request, id.ToString(System.Globalization.CultureInfo.InvariantCulture), method, null));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (!await _messages.Reader.WaitToReadAsync(deadline.Token) || !_messages.Reader.TryRead(out Func<JsonElement>? next))
                {
                    throw Volatile.Read(ref _ended)!; // every answer that came is read, and the output ended
                }

                JsonElement message = next();
                if (message.TryGetProperty("id", out JsonElement answerId) && answerId.ValueKind == JsonValueKind.Number
                    && answerId.GetInt32() == id && !message.TryGetProperty("method", out _))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            throw new McpProbeException($"the MCP server did not answer {method} within {timeout.TotalSeconds:0.#} s", remoteClosed: false);
        }
    }

    public void Notify(string method) =>
        Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method }, new FrameInfo(FrameKind.Notification, null, method, null));

    bool IFrameReceiver.OnFrame(ReadOnlySequence<byte> frame, in FrameInspection inspection)
    {
        try
        {
            using var doc = JsonDocument.Parse(frame);
            JsonElement message = doc.RootElement.Clone();
            _messages.Writer.TryWrite(() => message);
        }
        catch (JsonException ex)
        {
            string error = $"the MCP server wrote a line that is not JSON ({ex.Message}); is something printing to stdout before the server starts?";
            _messages.Writer.TryWrite(() => throw new McpProbeException(error, remoteClosed: false));
        }

        return true;
    }

    /// <summary>An answer too large to be ours (lists are small): skipped.</summary>
    bool IFrameReceiver.OnOversized(ReadOnlySequence<byte> head) => true;

    void IFrameReceiver.EndOfBurst()
    {
    }

    private void StartDelivery()
    {
        if (_delivering)
        {
            return;
        }

        _delivering = true;
        channel.DeliverOutputAsync(this).ContinueWith(
            _ =>
            {
                Volatile.Write(ref _ended, new McpProbeException($"the MCP server ended without answering: {channel.CloseReason}", remoteClosed: true));
                _messages.Writer.TryComplete();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Send(JsonObject message, in FrameInfo info)
    {
        try
        {
            channel.SendFrame(JsonFrameWriter.Write(message), info);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            throw new McpProbeException($"the channel closed: {ex.Message}", remoteClosed: true);
        }
    }
}

/// <summary>The probe could not get an answer: the server ended (<see cref="RemoteClosed"/>) or broke the protocol.</summary>
internal sealed class McpProbeException(string message, bool remoteClosed) : Exception(message)
{
    public bool RemoteClosed { get; } = remoteClosed;
}
