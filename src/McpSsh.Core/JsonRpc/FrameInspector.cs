using System.Buffers;
using System.Text.Json;

namespace McpSsh.JsonRpc;

/// <summary>
/// Checks that a frame is exactly one valid JSON-RPC object and peeks at its top-level <c>id</c> and
/// <c>method</c> with <see cref="Utf8JsonReader"/>. Nothing is deserialised and a frame is never rewritten.
/// </summary>
/// <remarks>
/// <para>Only ids are materialised, as canonical raw JSON text (<see cref="RequestId"/>), never decoded; the
/// method name is materialised only when <c>captureMethod</c> is set (trace logging, session replay).</para>
/// <para>Valid JSON that is not a valid message is rejected here, so no caller forwards it (issue 11): an
/// <c>id</c> that is not a string or a number (a null id only on an error response), a <c>method</c> that is
/// not a string, a duplicate <c>id</c> or <c>method</c>, and an id or method holding a lone surrogate. No
/// exception escapes: whatever the parser throws makes the frame a parse error.</para>
/// </remarks>
public static partial class FrameInspector
{
    // MCP tool schemas nest deeper than the reader's default of 64.
    internal static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    internal static ReadOnlySpan<byte> IdName => "id"u8;
    internal static ReadOnlySpan<byte> MethodName => "method"u8;
    internal static ReadOnlySpan<byte> ResultName => "result"u8;
    internal static ReadOnlySpan<byte> ErrorName => "error"u8;
    internal static ReadOnlySpan<byte> ParamsName => "params"u8;
    internal static ReadOnlySpan<byte> RequestIdName => "requestId"u8;
    internal static ReadOnlySpan<byte> CancelledMethod => "notifications/cancelled"u8;

    /// <summary>Inspects a whole frame. Returns the error to answer with when it is not one JSON-RPC object.</summary>
    public static FrameInspection Inspect(ReadOnlySequence<byte> frame, bool captureMethod = false)
    {
        var reader = new Utf8JsonReader(frame, isFinalBlock: true, new JsonReaderState(s_options));
        try
        {
            if (!reader.Read())
            {
                return FrameInspection.Invalid(JsonRpcErrorCode.ParseError, "empty frame", null);
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                string what = reader.TokenType == JsonTokenType.StartArray
                    ? "JSON-RPC batches are not part of MCP; send one object per line"
                    : "a JSON-RPC message must be a JSON object";
                return FrameInspection.Invalid(JsonRpcErrorCode.InvalidRequest, what, null);
            }

            Members members = ReadMembers(ref reader, captureMethod);
            if (reader.Read())
            {
                return FrameInspection.Invalid(JsonRpcErrorCode.ParseError, "more than one JSON value on one line", members.EchoId);
            }

            if (!Utf8Validator.IsValid(frame))
            {
                return FrameInspection.Invalid(JsonRpcErrorCode.ParseError, "invalid UTF-8", members.IdIsUtf8 ? members.EchoId : null);
            }

            return members.Problem is { } problem
                ? FrameInspection.Invalid(JsonRpcErrorCode.InvalidRequest, problem, members.EchoId)
                : FrameInspection.Valid(members.ToInfo());
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            // Malformed JSON: try to recover the id from what precedes the error, so the host can match the answer.
            return FrameInspection.Invalid(JsonRpcErrorCode.ParseError, ParseErrorText(ex), TryRecoverId(frame));
        }
    }

    /// <summary>
    /// Recovers a top-level <c>id</c> from the start of a frame that is broken or truncated (an oversized line
    /// is handed over as its first bytes). Returns null when the id does not come before the damage, or is
    /// not a string or a number.
    /// </summary>
    public static string? TryRecoverId(ReadOnlySequence<byte> head)
    {
        var reader = new Utf8JsonReader(head, isFinalBlock: false, new JsonReaderState(s_options));
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                {
                    return null;
                }

                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(IdName))
                {
                    return reader.Read() ? ReadId(ref reader).Text : null;
                }

                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    // Skip values without materialising them; a truncated value ends the search.
                    if (!reader.Read() || !reader.TrySkip())
                    {
                        return null;
                    }
                }
            }
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            // The damage came before any id: answer with a null id, as JSON-RPC says.
        }

        return null;
    }

    private static Members ReadMembers(ref Utf8JsonReader reader, bool captureMethod)
    {
        var members = new Members();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // At depth 1 we only ever stand on property names: values are read or skipped whole below.
            if (reader.ValueTextEquals(IdName))
            {
                reader.Read();
                members.AddId(ReadId(ref reader));
            }
            else if (reader.ValueTextEquals(MethodName))
            {
                reader.Read();
                members.AddMethod(ref reader, captureMethod, CancelledMethod);
            }
            else if (reader.ValueTextEquals(ParamsName))
            {
                reader.Read();
                members.CancelledId = ReadRequestIdParam(ref reader);
            }
            else
            {
                members.HasResult |= reader.ValueTextEquals(ResultName);
                members.HasError |= reader.ValueTextEquals(ErrorName);
                reader.Read();
                reader.Skip();
            }
        }

        members.Finish();
        return members;
    }

    /// <summary>Reads <c>params.requestId</c> (only <c>notifications/cancelled</c> uses it) and skips the rest.</summary>
    private static string? ReadRequestIdParam(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? requestId = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            bool isRequestId = reader.ValueTextEquals(RequestIdName);
            reader.Read();
            if (isRequestId)
            {
                requestId = ReadId(ref reader).Text;
            }
            else
            {
                reader.Skip();
            }
        }

        return requestId;
    }

    internal static IdToken ReadId(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return new IdToken(IdShape.Valid, RequestId.FromNumberToken(ref reader));
            case JsonTokenType.String:
                string? text = RequestId.FromStringToken(ref reader, out bool wellFormed);
                return new IdToken(text is null ? IdShape.NotUtf8 : wellFormed ? IdShape.Valid : IdShape.LoneSurrogate, text);
            case JsonTokenType.Null:
                return new IdToken(IdShape.Null, null);
            default:
                // TrySkip: TryRecoverId reads a partial frame, where Skip throws; a truncated id is just not an id.
                _ = reader.TrySkip();
                return new IdToken(IdShape.WrongType, null);
        }
    }

    internal static string ParseErrorText(Exception ex) => ex switch
    {
        // JsonException messages carry "LineNumber: 0 | BytePositionInLine: N."; keep only the position.
        JsonException json => $"invalid JSON at byte {json.BytePositionInLine ?? 0}",
        _ => $"unreadable JSON text ({ex.GetType().Name})",
    };
}
