using System.Buffers;
using McpSsh.JsonRpc;
using McpSsh.Relay;

namespace McpSsh.Resilience;

// A host line streamed in parts (issue 16) goes to the link it started on, through that link's writer, without
// being kept: so it cannot be held back while reconnecting nor re-sent on a new link. A line that starts while
// the link is down, or whose link is lost before its end, is answered with -32000 (a request) and not delivered;
// it is in flight (and failed with the link, like any request) only once its last part is being sent. A streamed
// line is never replayed (an initialize or listen is far below the threshold).
public sealed partial class ResilientChannel
{
    private enum HostLine
    {
        None,
        Sending,
        Refused,
    }

    private HostLine _hostLine;
    private LinkWriter? _hostLineWriter;
    private int _hostLineGeneration;

    /// <summary>When the links take parts (every SSH and ssh(1) link does); the first link speaks for the rest.</summary>
    public bool CanSendParts
    {
        get
        {
            lock (_lock)
            {
                return _link.CanSendParts;
            }
        }
    }

    public void SendPart(ReadOnlySequence<byte> part)
    {
        LinkWriter writer;
        lock (_lock)
        {
            if (_hostLine == HostLine.None)
            {
                _hostLine = _state == LinkState.Connected ? HostLine.Sending : HostLine.Refused;
                _hostLineWriter = _writer;
                _hostLineGeneration = _generation;
            }

            if (_hostLine == HostLine.Refused || _generation != _hostLineGeneration)
            {
                _hostLine = HostLine.Refused;
                return;
            }

            writer = _hostLineWriter!;
        }

        if (!writer.SendPart(part))
        {
            lock (_lock)
            {
                _hostLine = HostLine.Refused; // the link failed mid-line: the rest is not sent
            }
        }
    }

    public void EndPart(ReadOnlySequence<byte> last, in FrameInfo info)
    {
        LinkWriter? writer = null;
        lock (_lock)
        {
            HostLine line = _hostLine == HostLine.None && _state == LinkState.Connected ? HostLine.Sending : _hostLine;
            if (_hostLine == HostLine.None)
            {
                _hostLineWriter = _writer;
                _hostLineGeneration = _generation;
            }

            _hostLine = HostLine.None;
            if (line == HostLine.Sending && _generation == _hostLineGeneration && _state == LinkState.Connected)
            {
                writer = _hostLineWriter;
                if (info.Kind == FrameKind.Request)
                {
                    InFlight.MarkSent(info.Id!, _generation); // the relay added it; from here this link's loss answers it
                }
            }

            _hostLineWriter = null;
        }

        if (writer is not null)
        {
            writer.EndPart(last);
            return;
        }

        if (info.Kind == FrameKind.Request)
        {
            // The usual error of a lost link (its reason included); the message was not delivered and is not kept.
            string reason;
            lock (_lock)
            {
                reason = _lastLossReason ?? "not connected";
            }

            WriteOutput(JsonRpcErrorWriter.Write(info.Id, JsonRpcErrorCode.ConnectionClosed,
                $"connection to {_options.Endpoint} lost: {reason}. mcp-ssh is reconnecting; retry the request (it was not delivered: a message this large is not held for the next connection)"));
        }
    }

    public void AbandonPart()
    {
        LinkWriter? writer;
        lock (_lock)
        {
            writer = _hostLine == HostLine.Sending && _generation == _hostLineGeneration ? _hostLineWriter : null;
            _hostLine = HostLine.None;
            _hostLineWriter = null;
        }

        writer?.AbandonPart();
    }
}
