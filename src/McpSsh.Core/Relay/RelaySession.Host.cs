using System.Buffers;
using McpSsh.Framing;
using McpSsh.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSsh.Relay;

// The host's frames: read from stdin, checked, noted in flight and sent to the channel.
public sealed partial class RelaySession
{
    private async Task<bool> PumpHostAsync(CancellationToken stop)
    {
        try
        {
            // After each read's frames the channel may send what it held back, in one write.
            // A long line goes on in parts as it arrives, when the channel takes parts and no tool filter needs it whole.
            long streamAbove = _tools is null && _channel.CanSendParts ? _options.StreamAboveBytes : long.MaxValue;
            return await FramePump.RunAsync(_hostInput, _options.MaxFrameBytes, OnHostFrame, stop, _channel.EndOfBurst, streamAbove);
        }
        catch (OperationCanceledException)
        {
            return true;
        }
        catch (IOException)
        {
            // stdin broke: the host is gone, same as EOF.
            return true;
        }
    }

    private bool OnHostFrame(FrameReadStatus status, ReadOnlySequence<byte> frame)
    {
        if (status is FrameReadStatus.Part or FrameReadStatus.LastPart)
        {
            return OnHostPart(status, frame);
        }

        if (status == FrameReadStatus.Oversized)
        {
            string? id = FrameInspector.TryRecoverId(frame);
            _logger.LogOversizedFrameFromHost(_options.MaxFrameBytes, id ?? "null");
            return WriteToHost(JsonRpcErrorWriter.Write(id, JsonRpcErrorCode.InvalidRequest,
                $"message larger than the relay's limit of {_options.MaxFrameBytes} bytes (mcp-ssh --max-frame-bytes); it was not sent"));
        }

        FrameInspection inspection = FrameInspector.Inspect(frame, captureMethod: true); // the method also tells a resilient channel what to replay
        if (!inspection.IsValid)
        {
            _logger.LogBadFrameFromHost(frame.Length, inspection.Error!, (int)inspection.ErrorCode, inspection.Info.Id ?? "null");
            return WriteToHost(JsonRpcErrorWriter.Write(inspection.Info.Id, inspection.ErrorCode, $"{inspection.Error}; the message was not sent"));
        }

        FrameInfo info = inspection.Info;
        if (_trace)
        {
            _logger.LogFrameFromHost(frame.Length, info.Kind, info.Method, info.Id);
        }

        _firstFrameSeen.TrySetResult();
        if (_tools?.Refuse(info, frame) is { } refusal)
        {
            return WriteToHost(refusal); // a call of a filtered tool: answered here, never sent
        }

        if (info.Kind == FrameKind.Request)
        {
            // A listen stays open until the server ends it: at stdin EOF there is no answer to wait for (the
            // server writes none), and waiting would hold the exit for the whole drain timeout.
            InFlight.Add(info.Id!, longLived: info.Method == McpMethods.Listen);
        }
        else if (info.CancelledRequestId is not null)
        {
            // A cancelled request may never be answered (the spec lets the server stay silent).
            InFlight.Remove(info.CancelledRequestId);
        }

        try
        {
            _channel.SendFrame(frame, info);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _channelWriteError = ex;
            return false;
        }
    }
}
