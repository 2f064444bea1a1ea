using System.Buffers;
using McpSsh.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSsh.Relay;

// The channel's long lines, pushed in parts (issue 16): each part goes on to the host as it arrives while the
// line can still be valid; once it cannot, the host's line is ended there (its parser rejects it: the object's
// closing brace is held back until the line's end is known, see StreamedLineHold) and the request it answered
// gets the usual error at the end of the line, when its id is known. A blank line is skipped.
public sealed partial class RelaySession
{
    private enum StreamedLine
    {
        None,
        Open, // parts went to the host
        Dropped, // doomed before or after parts went: nothing more goes
    }

    private readonly StreamedLineHold _remoteHold = new();
    private StreamedLine _remoteLine;

    /// <summary>
    /// Streaming needs a sink that takes parts; the tool filter rewrites tools/list answers, which needs them whole
    /// (so a filtered session relays every frame whole, as before).
    /// </summary>
    long IFrameReceiver.StreamAboveBytes => _tools is null && _hostOutput.CanWriteParts ? _options.StreamAboveBytes : long.MaxValue;

    bool IFrameReceiver.OnPart(ReadOnlySequence<byte> part, IncrementalFrameInspector check)
    {
        if (_hostWriteError is not null)
        {
            return false;
        }

        if (_remoteLine == StreamedLine.Dropped)
        {
            return true; // read on to the newline, for the id
        }

        if (check.IsDoomed)
        {
            DropHostLine();
            return true;
        }

        ReadOnlySequence<byte> pass = _remoteHold.Pass(part, check);
        if (pass.IsEmpty)
        {
            return true; // leading whitespace, or what follows the held closing brace
        }

        _remoteLine = StreamedLine.Open;
        return HostWrite(() => _hostOutput.WritePart(pass));
    }

    bool IFrameReceiver.OnLastPart(ReadOnlySequence<byte> last, IncrementalFrameInspector check, in FrameInspection verdict)
    {
        StreamedLine line = _remoteLine;
        _remoteLine = StreamedLine.None;
        bool blank = _remoteHold.IsBlankLine(last);
        ReadOnlySequence<byte> tail = _remoteHold.Last(last);
        _remoteHold.Reset();
        if (_hostWriteError is not null)
        {
            return false;
        }

        if (blank && !check.IsOversized)
        {
            return true; // a blank line is skipped, as a short one is
        }

        if (line != StreamedLine.Dropped && !check.IsOversized && verdict.IsValid)
        {
            FrameInfo info = verdict.Info;
            if (_trace)
            {
                _logger.LogFrameFromRemote(check.Length, info.Kind, info.Method, info.Id);
            }

            if (info.Kind == FrameKind.Response)
            {
                InFlight.Remove(info.Id!);
            }

            return HostWrite(() => _hostOutput.EndLine(tail));
        }

        if (line == StreamedLine.Open)
        {
            HostWrite(() => _hostOutput.AbandonLine());
        }

        if (check.IsOversized)
        {
            string? id = check.RecoveredId;
            _logger.LogOversizedFrameFromRemote(_options.Endpoint, _options.MaxFrameBytes, id ?? "null");
            return AnswerDroppedResponse(id, $"the server's answer was larger than the relay's limit of {_options.MaxFrameBytes} bytes (mcp-ssh --max-frame-bytes)");
        }

        _logger.LogBadFrameFromRemote(_options.Endpoint, check.Length, verdict.Error!, "(a streamed line: not kept)");
        return AnswerDroppedResponse(verdict.Info.Id, $"the server sent a malformed answer ({verdict.Error})");
    }

    /// <summary>The link went mid-line: the host's line is ended; its request is answered with the link's loss.</summary>
    void IFrameReceiver.OnLineCut()
    {
        if (_remoteLine == StreamedLine.Open)
        {
            HostWrite(() => _hostOutput.AbandonLine());
        }

        _remoteLine = StreamedLine.None;
        _remoteHold.Reset();
    }

    private void DropHostLine()
    {
        if (_remoteLine == StreamedLine.Open)
        {
            HostWrite(() => _hostOutput.AbandonLine());
        }

        _remoteLine = StreamedLine.Dropped;
    }

    private bool HostWrite(Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            _hostWriteError ??= ex;
            return false;
        }
    }
}
