using System.Buffers;
using McpSsh.Framing;
using McpSsh.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSsh.Relay;

// The host's long lines, in parts (issue 16): each part goes to the channel as it arrives while the line can
// still be valid; once it cannot, the far end's line is ended there (its parser rejects it: the object's closing
// brace is held back until the line's end is known, see StreamedLineHold) and the host gets the usual error for
// the line's id. A blank line is skipped. A request is in flight before its last part and newline are sent.
public sealed partial class RelaySession
{
    private IncrementalFrameInspector? _hostCheck;
    private readonly StreamedLineHold _hostHold = new();
    private StreamedLine _hostLine;
    private bool _hostLineBegun;

    private bool OnHostPart(FrameReadStatus status, ReadOnlySequence<byte> part)
    {
        IncrementalFrameInspector check = _hostCheck ??= new IncrementalFrameInspector(_options.MaxFrameBytes, captureMethod: true);
        if (!_hostLineBegun)
        {
            check.Reset();
            _hostHold.Reset();
            _hostLineBegun = true;
        }

        check.Feed(part);
        if (status == FrameReadStatus.Part)
        {
            if (_hostLine == StreamedLine.Dropped)
            {
                return true; // read on to the newline, for the id
            }

            if (check.IsDoomed)
            {
                return AbandonChannelLine();
            }

            ReadOnlySequence<byte> pass = _hostHold.Pass(part, check);
            if (pass.IsEmpty)
            {
                return true; // leading whitespace, or what follows the held closing brace
            }

            _hostLine = StreamedLine.Open;
            return ChannelWrite(() => _channel.SendPart(pass));
        }

        FrameInspection verdict = check.Complete();
        StreamedLine line = _hostLine;
        _hostLine = StreamedLine.None;
        _hostLineBegun = false;
        if (_hostHold.IsBlankLine(part) && !check.IsOversized)
        {
            return true; // a blank line is skipped, as a short one is
        }

        ReadOnlySequence<byte> tail = _hostHold.Last(part);
        if (line != StreamedLine.Dropped && !check.IsOversized && verdict.IsValid)
        {
            FrameInfo info = verdict.Info;
            if (_trace)
            {
                _logger.LogFrameFromHost(check.Length, info.Kind, info.Method, info.Id);
            }

            _firstFrameSeen.TrySetResult();
            if (info.Kind == FrameKind.Request)
            {
                InFlight.Add(info.Id!, longLived: info.Method == McpMethods.Listen); // before the newline goes
            }

            return ChannelWrite(() => _channel.EndPart(tail, info));
        }

        if (line == StreamedLine.Open && !ChannelWrite(_channel.AbandonPart))
        {
            return false;
        }

        if (check.IsOversized)
        {
            string? id = check.RecoveredId;
            _logger.LogOversizedFrameFromHost(_options.MaxFrameBytes, id ?? "null");
            return WriteToHost(JsonRpcErrorWriter.Write(id, JsonRpcErrorCode.InvalidRequest,
                $"message larger than the relay's limit of {_options.MaxFrameBytes} bytes (mcp-ssh --max-frame-bytes); it was cut off mid-way and not delivered"));
        }

        _logger.LogBadFrameFromHost(check.Length, verdict.Error!, (int)verdict.ErrorCode, verdict.Info.Id ?? "null");
        return WriteToHost(JsonRpcErrorWriter.Write(verdict.Info.Id, verdict.ErrorCode, $"{verdict.Error}; the message was cut off mid-way and not delivered"));
    }

    private bool AbandonChannelLine()
    {
        StreamedLine line = _hostLine;
        _hostLine = StreamedLine.Dropped;
        return line != StreamedLine.Open || ChannelWrite(_channel.AbandonPart);
    }

    private bool ChannelWrite(Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _channelWriteError = ex;
            return false;
        }
    }
}
