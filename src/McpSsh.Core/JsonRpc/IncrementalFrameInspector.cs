using System.Buffers;
using System.Text.Json;

namespace McpSsh.JsonRpc;

/// <summary>
/// <see cref="FrameInspector"/> for a line that arrives in parts (a streamed frame): bytes are fed as they pass,
/// nothing of the frame is kept but a few KiB of an unfinished token, and the verdict at the end is the one
/// <see cref="FrameInspector.Inspect"/> gives the whole line (valid with its <see cref="FrameInfo"/>, or the
/// error code and the id to answer with). <see cref="IsDoomed"/> says as soon as the frame can no longer be valid.
/// </summary>
/// <remarks>
/// <para><see cref="Utf8JsonReader"/> runs over each part with its <see cref="JsonReaderState"/> carried on; the
/// bytes of a token it could not finish are carried to the next part. A string longer than
/// <see cref="CarryLimit"/> (a base64 blob, a file's text) is never carried: <see cref="JsonStringScanner"/>
/// checks it as it passes and the reader is handed an empty string in its place, which keeps its state right
/// (such a string cannot be one of the member names looked at, which are all short). UTF-8 and the size are
/// checked on every byte.</para>
/// <para>Where it differs from <see cref="FrameInspector"/>: an id, method or <c>requestId</c> value, or a number,
/// longer than <see cref="CarryLimit"/> bytes makes the frame invalid here; a parse error's byte position may
/// differ. After a frame is doomed the rest is still read for its id (an id may come last, as the TypeScript
/// SDK writes answers), so the error can be answered with it.</para>
/// </remarks>
public sealed partial class IncrementalFrameInspector
{
    /// <summary>The longest token carried from one part to the next; longer strings are scanned instead.</summary>
    public const int CarryLimit = 4096;

    // Room for a carried name and a carried partial token, plus one part's worth of appended bytes.
    private const int CarryCapacity = (3 * CarryLimit) + 64;
    private const int MaxCompacted = (2 * CarryLimit) + 16;

    private readonly long _maxFrameBytes;
    private readonly bool _captureMethod;
    private readonly byte[] _carry = new byte[CarryCapacity];
    private readonly byte[] _scratch = new byte[CarryCapacity];
    private int _carried;
    private JsonReaderState _state;
    private Utf8Tracker _utf8;
    private JsonStringScanner _longString;
    private bool _inLongString;
    private bool _parsing;
    private JsonTokenType _lastToken;

    /// <param name="maxFrameBytes">Above this many bytes the frame is <see cref="IsOversized"/>.</param>
    /// <param name="captureMethod">Materialise the method name, as <see cref="FrameInspector.Inspect"/> does when asked.</param>
    public IncrementalFrameInspector(long maxFrameBytes, bool captureMethod = false)
    {
        _maxFrameBytes = maxFrameBytes;
        _captureMethod = captureMethod;
        Reset();
    }

    /// <summary>Bytes fed so far.</summary>
    public long Length { get; private set; }

    public bool IsOversized => Length > _maxFrameBytes;

    /// <summary>True as soon as the frame can no longer be valid (or is over the size limit): stop forwarding it.</summary>
    public bool IsDoomed => IsOversized || _fixed is not null || _faultText is not null || _utf8.Invalid || _members.Problem is not null;

    /// <summary>
    /// The id an error about this frame is answered with, as <see cref="FrameInspector.TryRecoverId"/> finds it in the
    /// bytes fed so far: the first top-level <c>id</c> before any damage. Final once <see cref="Complete"/> ran.
    /// </summary>
    public string? RecoveredId => _recovered;

    /// <summary>
    /// True once the top-level object's closing brace was fed: from there on only whitespace may follow. A streamed
    /// line holds that brace back until its end is known (<see cref="McpSsh.Relay.StreamedLineHold"/>).
    /// </summary>
    public bool ValueClosed { get; private set; }

    /// <summary>Starts over for the next frame.</summary>
    public void Reset()
    {
        ValueClosed = false;
        Length = 0;
        _carried = 0;
        _state = new JsonReaderState(FrameInspector.s_options);
        _utf8.Reset();
        _longString = default;
        _inLongString = false;
        _parsing = true;
        _lastToken = JsonTokenType.None;
        ResetTokens();
    }

    /// <summary>Feeds the next bytes of the frame. Returns false once it is doomed (see <see cref="IsDoomed"/>).</summary>
    public bool Feed(ReadOnlySequence<byte> part)
    {
        foreach (ReadOnlyMemory<byte> segment in part)
        {
            Feed(segment.Span);
        }

        return !IsDoomed;
    }

    /// <inheritdoc cref="Feed(ReadOnlySequence{byte})"/>
    public bool Feed(ReadOnlySpan<byte> part)
    {
        Length += part.Length;
        _utf8.Feed(part);
        while (_parsing && !part.IsEmpty)
        {
            if (_inLongString)
            {
                int end = _longString.Scan(part);
                if (_longString.Failed)
                {
                    SyntaxFault("invalid JSON string");
                    break;
                }

                if (end < 0)
                {
                    break;
                }

                // The string is over: the reader gets an empty string in its place.
                _inLongString = false;
                "\"\""u8.CopyTo(_carry.AsSpan(_carried));
                _carried += 2;
                part = part[end..];
                continue;
            }

            if (_carried == 0)
            {
                int used = Run(part, final: false);
                Keep(part[Math.Min(used, part.Length)..]);
                break;
            }

            int carried = _carried;
            int add = Math.Min(CarryCapacity - carried, part.Length);
            part[..add].CopyTo(_carry.AsSpan(carried));
            _carried = 0;
            int consumed = Run(_carry.AsSpan(0, carried + add), final: false);
            if (consumed >= carried)
            {
                // The carried token is done; go on in the part itself from where the reader stopped.
                part = part[Math.Min(consumed - carried, part.Length)..];
                continue;
            }

            _carry.AsSpan(consumed, carried + add - consumed).CopyTo(_scratch);
            Keep(_scratch.AsSpan(0, carried + add - consumed));
            part = part[add..];
        }

        return !IsDoomed;
    }

    /// <summary>At the end of the line: the verdict <see cref="FrameInspector.Inspect"/> gives the whole line.</summary>
    public FrameInspection Complete()
    {
        _utf8.Finish();
        if (_parsing)
        {
            if (_inLongString)
            {
                SyntaxFault("unterminated JSON string");
            }
            else
            {
                Run(_carry.AsSpan(0, _carried), final: true);
                _carried = 0;
                if (_parsing && !_started)
                {
                    _fixed = FrameInspection.Invalid(JsonRpcErrorCode.ParseError, "empty frame", null);
                }
            }
        }

        return Verdict();
    }

    /// <summary>Runs the reader over <paramref name="data"/>, handing each token on; returns how many bytes it consumed.</summary>
    private int Run(ReadOnlySpan<byte> data, bool final)
    {
        var reader = new Utf8JsonReader(data, final, _state);
        try
        {
            while (_parsing && reader.Read())
            {
                ValueClosed |= reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0;
                OnToken(ref reader);
                _lastToken = reader.TokenType;
            }
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            SyntaxFault(FrameInspector.ParseErrorText(ex));
            return data.Length;
        }

        _state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }
}
