using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.Framing;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.Cli.Doctor;

/// <summary>
/// A minimal MCP client over the remote channel, for the doctor only: sends a request, waits for the answer with
/// its id (skipping notifications and server requests), with a deadline. Requests are composed as JSON nodes and
/// written with <see cref="JsonFrameWriter"/>; answers are read with <see cref="JsonDocument"/>.
/// </summary>
internal sealed class McpProbe(IRemoteChannel channel, TimeSpan timeout)
{
    private readonly LineFrameReader _framer = new(Commands.ClientOptions.DefaultMaxFrameBytes);
    private int _nextId;

    /// <summary>The answer's root element (with <c>result</c> or <c>error</c>); throws <see cref="McpProbeException"/> when the server ends or is silent.</summary>
    public async Task<JsonElement> RequestAsync(string method, JsonObject? parameters, CancellationToken stop)
    {
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
                JsonElement message = await ReadMessageAsync(deadline.Token);
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

    private async Task<JsonElement> ReadMessageAsync(CancellationToken token)
    {
        PipeReader output = channel.Output;
        while (true)
        {
            // The channel's pipe completes reads inline on SSH.NET's receive thread; leave it, so that sending the next
            // request or closing the channel never runs there (a close from that thread waits for itself).
            ReadResult read = await output.ReadAsync(token).AsTask().ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            ReadOnlySequence<byte> buffer = read.Buffer;
            bool found = false;
            try
            {
                FrameReadStatus status = read.IsCompleted ? _framer.TryReadFinal(ref buffer, out ReadOnlySequence<byte> frame) : _framer.TryRead(ref buffer, out frame);
                if (status == FrameReadStatus.Frame)
                {
                    found = true;
                    try
                    {
                        using var doc = JsonDocument.Parse(frame);
                        return doc.RootElement.Clone();
                    }
                    catch (JsonException ex)
                    {
                        throw new McpProbeException($"the MCP server wrote a line that is not JSON ({ex.Message}); is something printing to stdout before the server starts?", remoteClosed: false);
                    }
                }

                if (status == FrameReadStatus.Oversized)
                {
                    found = true; // an answer too large to be ours (lists are small): skipped
                    continue;
                }

                if (read.IsCompleted && status == FrameReadStatus.NeedMoreData)
                {
                    throw new McpProbeException($"the MCP server ended without answering: {channel.CloseReason}", remoteClosed: true);
                }
            }
            finally
            {
                // After a frame, what is left may hold the next one: examine only what was consumed.
                output.AdvanceTo(buffer.Start, found ? buffer.Start : buffer.End);
            }
        }
    }
}

/// <summary>The probe could not get an answer: the server ended (<see cref="RemoteClosed"/>) or broke the protocol.</summary>
internal sealed class McpProbeException(string message, bool remoteClosed) : Exception(message)
{
    public bool RemoteClosed { get; } = remoteClosed;
}
