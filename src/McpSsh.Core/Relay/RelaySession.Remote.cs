using System.Buffers;
using System.Text;
using McpSsh.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSsh.Relay;

// The channel's frames, pushed (IFrameReceiver): checked once by the channel, answered in flight, written to the host.
public sealed partial class RelaySession : IFrameReceiver
{
    private const int BadLineHeadBytes = 200;

    long IFrameReceiver.MaxFrameBytes => _options.MaxFrameBytes;

    bool IFrameReceiver.OnFrame(ReadOnlySequence<byte> frame, in FrameInspection inspection)
    {
        if (_hostWriteError is not null)
        {
            return false; // a flush failed: the host is gone
        }

        if (!inspection.IsValid)
        {
            _logger.LogBadFrameFromRemote(_options.Endpoint, frame.Length, inspection.Error!, Head(frame));
            return AnswerDroppedResponse(inspection.Info.Id, $"the server sent a malformed answer ({inspection.Error})");
        }

        FrameInfo info = inspection.Info;
        if (_trace)
        {
            _logger.LogFrameFromRemote(frame.Length, info.Kind, info.Method, info.Id);
        }

        if (info.Kind == FrameKind.Response)
        {
            InFlight.Remove(info.Id!);
        }

        // Held: written with the rest of the burst (what one read or one SSH packet brought) at EndOfBurst.
        return WriteToHost(_tools?.Rewrite(info, frame) ?? frame, held: true);
    }

    /// <summary>The one place an answer over the limit is handled: only its head arrived, so its request gets an error.</summary>
    bool IFrameReceiver.OnOversized(ReadOnlySequence<byte> head)
    {
        string? id = FrameInspector.TryRecoverId(head);
        _logger.LogOversizedFrameFromRemote(_options.Endpoint, _options.MaxFrameBytes, id ?? "null");
        return AnswerDroppedResponse(id, $"the server's answer was larger than the relay's limit of {_options.MaxFrameBytes} bytes (mcp-ssh --max-frame-bytes)");
    }

    void IFrameReceiver.EndOfBurst() => FlushHost();

    /// <summary>A dropped remote line that answered a pending request still gets an answer, so the host does not hang.</summary>
    private bool AnswerDroppedResponse(string? id, string message)
    {
        if (id is null || !InFlight.Remove(id))
        {
            return true;
        }

        return WriteToHost(JsonRpcErrorWriter.Write(id, JsonRpcErrorCode.InternalError, message));
    }

    private static string Head(ReadOnlySequence<byte> frame)
    {
        ReadOnlySequence<byte> head = frame.Slice(0, Math.Min(frame.Length, BadLineHeadBytes));
        string text = Encoding.UTF8.GetString(head);
        return frame.Length > BadLineHeadBytes ? text + "..." : text;
    }
}
