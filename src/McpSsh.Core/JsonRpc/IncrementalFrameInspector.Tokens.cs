using System.Text.Json;

namespace McpSsh.JsonRpc;

/// <summary>
/// The token side: the same questions <see cref="FrameInspector.Inspect"/> and <see cref="FrameInspector.TryRecoverId"/>
/// ask, asked of one token at a time instead of by reading and skipping whole values.
/// </summary>
public sealed partial class IncrementalFrameInspector
{
    private enum Mode
    {
        Start,
        Members,
        MemberValue,
        Params,
        ParamValue,
        Skipping,
        AfterObject,
    }

    private enum Member
    {
        Other,
        Id,
        Method,
        Params,
    }

    // Inspect's side.
    private Mode _mode;
    private Member _member;
    private Mode _afterSkip;
    private int _skipDepth;
    private bool _requestIdNext;
    private string? _requestId;
    private bool _started;
    private FrameInspector.Members _members;
    private FrameInspection? _fixed; // a verdict that no later byte changes
    private string? _faultText; // a parse error, answered with the recovered id

    // TryRecoverId's side.
    private bool _recoveryStarted;
    private bool _recoveryDone;
    private bool _recoverIdNext;
    private string? _recovered;

    private void ResetTokens()
    {
        _mode = Mode.Start;
        _member = Member.Other;
        _requestIdNext = false;
        _requestId = null;
        _started = false;
        _members = default;
        _fixed = null;
        _faultText = null;
        _recoveryStarted = false;
        _recoveryDone = false;
        _recoverIdNext = false;
        _recovered = null;
    }

    private FrameInspection Verdict()
    {
        if (_fixed is { } verdict)
        {
            return verdict;
        }

        if (_faultText is not null)
        {
            return FrameInspection.Invalid(JsonRpcErrorCode.ParseError, _faultText, _recovered);
        }

        if (_utf8.Invalid)
        {
            return FrameInspection.Invalid(JsonRpcErrorCode.ParseError, "invalid UTF-8", _members.IdIsUtf8 ? _members.EchoId : null);
        }

        return _members.Problem is { } problem
            ? FrameInspection.Invalid(JsonRpcErrorCode.InvalidRequest, problem, _members.EchoId)
            : FrameInspection.Valid(_members.ToInfo());
    }

    /// <summary>The reader failed: nothing after this point can be read, by either side.</summary>
    private void SyntaxFault(string text)
    {
        if (_fixed is null)
        {
            _faultText ??= text;
        }

        _recoveryDone = true;
        _parsing = false;
    }

    private void OnToken(ref Utf8JsonReader reader)
    {
        if (!_recoveryDone)
        {
            try
            {
                Recover(ref reader);
            }
            catch (Exception ex) when (ParserFaults.IsParserFault(ex))
            {
                _recoveryDone = true; // TryRecoverId gives up where this throws
            }
        }

        if (_fixed is null && _faultText is null)
        {
            try
            {
                Inspect(ref reader);
            }
            catch (Exception ex) when (ParserFaults.IsParserFault(ex))
            {
                _faultText = FrameInspector.ParseErrorText(ex); // Inspect's catch: answered with TryRecoverId's id
            }
        }

        _parsing = !(_recoveryDone && (_fixed is not null || _faultText is not null));
    }

    /// <summary>TryRecoverId: the first top-level id, before any damage.</summary>
    private void Recover(ref Utf8JsonReader reader)
    {
        JsonTokenType token = reader.TokenType;
        if (!_recoveryStarted)
        {
            _recoveryStarted = true;
            _recoveryDone = token != JsonTokenType.StartObject;
            return;
        }

        if (_recoverIdNext)
        {
            _recovered = token is JsonTokenType.StartObject or JsonTokenType.StartArray ? null : FrameInspector.ReadId(ref reader).Text;
            _recoveryDone = true;
        }
        else if (token == JsonTokenType.EndObject && reader.CurrentDepth == 0)
        {
            _recoveryDone = true;
        }
        else if (token == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
        {
            _recoverIdNext = reader.ValueTextEquals(FrameInspector.IdName);
        }
    }

    /// <summary>Inspect, one token at a time.</summary>
    private void Inspect(ref Utf8JsonReader reader)
    {
        JsonTokenType token = reader.TokenType;
        bool container = token is JsonTokenType.StartObject or JsonTokenType.StartArray;
        switch (_mode)
        {
            case Mode.Start:
                _started = true;
                if (token != JsonTokenType.StartObject)
                {
                    string what = token == JsonTokenType.StartArray
                        ? "JSON-RPC batches are not part of MCP; send one object per line"
                        : "a JSON-RPC message must be a JSON object";
                    _fixed = FrameInspection.Invalid(JsonRpcErrorCode.InvalidRequest, what, null);
                    _recoveryDone = true;
                    return;
                }

                _mode = Mode.Members;
                return;

            case Mode.Members:
                if (token == JsonTokenType.EndObject)
                {
                    _members.Finish();
                    _mode = Mode.AfterObject;
                    return;
                }

                _member = NameOf(ref reader);
                _mode = Mode.MemberValue;
                return;

            case Mode.MemberValue:
                MemberValue(ref reader, token, container);
                return;

            case Mode.Params:
                if (token == JsonTokenType.EndObject)
                {
                    _members.CancelledId = _requestId;
                    _mode = Mode.Members;
                    return;
                }

                _requestIdNext = reader.ValueTextEquals(FrameInspector.RequestIdName);
                _mode = Mode.ParamValue;
                return;

            case Mode.ParamValue:
                if (_requestIdNext)
                {
                    _requestId = container ? null : FrameInspector.ReadId(ref reader).Text;
                }

                _requestIdNext = false;
                Next(Mode.Params, container, reader.CurrentDepth);
                return;

            case Mode.Skipping:
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == _skipDepth)
                {
                    _mode = _afterSkip;
                }

                return;

            default:
                _fixed = FrameInspection.Invalid(JsonRpcErrorCode.ParseError, "more than one JSON value on one line", _members.EchoId);
                return;
        }
    }

    private Member NameOf(ref Utf8JsonReader reader)
    {
        // The same comparisons, in the same order, as Inspect: ValueTextEquals can throw on a lone surrogate escape.
        if (reader.ValueTextEquals(FrameInspector.IdName))
        {
            return Member.Id;
        }

        if (reader.ValueTextEquals(FrameInspector.MethodName))
        {
            return Member.Method;
        }

        if (reader.ValueTextEquals(FrameInspector.ParamsName))
        {
            return Member.Params;
        }

        _members.HasResult |= reader.ValueTextEquals(FrameInspector.ResultName);
        _members.HasError |= reader.ValueTextEquals(FrameInspector.ErrorName);
        return Member.Other;
    }

    private void MemberValue(ref Utf8JsonReader reader, JsonTokenType token, bool container)
    {
        switch (_member)
        {
            case Member.Id:
                _members.AddId(container ? new FrameInspector.IdToken(FrameInspector.IdShape.WrongType, null) : FrameInspector.ReadId(ref reader));
                break;
            case Member.Method:
                if (_members.HasMethod || token != JsonTokenType.String)
                {
                    _members.RejectMethod();
                }
                else
                {
                    _members.AddMethod(ref reader, _captureMethod, FrameInspector.CancelledMethod);
                }

                break;
            case Member.Params when token == JsonTokenType.StartObject:
                _requestId = null;
                _mode = Mode.Params;
                return;
            case Member.Params:
                _members.CancelledId = null;
                break;
        }

        Next(Mode.Members, container, reader.CurrentDepth);
    }

    /// <summary>After a value: back to <paramref name="mode"/>, once a container value has been passed over.</summary>
    private void Next(Mode mode, bool container, int depth)
    {
        if (container)
        {
            _skipDepth = depth;
            _afterSkip = mode;
            _mode = Mode.Skipping;
        }
        else
        {
            _mode = mode;
        }
    }

    /// <summary>Whether a string starting at offset <paramref name="at"/> of the carried tail is an id, method or requestId value.</summary>
    private bool NextValueIsLooked(int at) =>
        at == 0 && _lastToken == JsonTokenType.PropertyName
        && (_recoverIdNext && !_recoveryDone || _mode == Mode.MemberValue && _member is Member.Id or Member.Method || _mode == Mode.ParamValue && _requestIdNext);
}
