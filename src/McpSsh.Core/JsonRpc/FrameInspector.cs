using System.Buffers;
using System.Text;
using System.Text.Json;

namespace McpSsh.JsonRpc;

/// <summary>
/// Checks that a frame is exactly one JSON object and peeks at its top-level <c>id</c> and <c>method</c>
/// with <see cref="Utf8JsonReader"/>. Nothing is deserialised and a frame is never rewritten.
/// </summary>
/// <remarks>
/// Only ids are materialised (as strings, for in-flight tracking); the method name is materialised only when
/// <c>captureMethod</c> is set (trace logging). Validation itself allocates nothing for a valid frame.
/// </remarks>
public static class FrameInspector
{
    // MCP tool schemas nest deeper than the reader's default of 64.
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    private static ReadOnlySpan<byte> IdName => "id"u8;
    private static ReadOnlySpan<byte> MethodName => "method"u8;
    private static ReadOnlySpan<byte> ResultName => "result"u8;
    private static ReadOnlySpan<byte> ErrorName => "error"u8;
    private static ReadOnlySpan<byte> ParamsName => "params"u8;
    private static ReadOnlySpan<byte> RequestIdName => "requestId"u8;
    private static ReadOnlySpan<byte> CancelledMethod => "notifications/cancelled"u8;

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

            FrameInfo info = ReadMembers(ref reader, captureMethod);
            if (reader.Read())
            {
                return FrameInspection.Invalid(JsonRpcErrorCode.ParseError, "more than one JSON value on one line", info.Id);
            }

            if (!Utf8Validator.IsValid(frame))
            {
                return FrameInspection.Invalid(JsonRpcErrorCode.ParseError, "invalid UTF-8", info.Id);
            }

            return FrameInspection.Valid(info);
        }
        catch (JsonException ex)
        {
            // Malformed JSON: try to recover the id from what precedes the error, so the host can match the answer.
            return FrameInspection.Invalid(JsonRpcErrorCode.ParseError, ParseErrorText(ex), TryRecoverId(frame));
        }
    }

    /// <summary>
    /// Recovers a top-level <c>id</c> from the start of a frame that is broken or truncated (an oversized line
    /// is handed over as its first bytes). Returns null when the id does not come before the damage.
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
                    return reader.Read() ? ReadId(ref reader) : null;
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
        catch (JsonException)
        {
            // The damage came before any id: answer with a null id, as JSON-RPC says.
        }

        return null;
    }

    private static FrameInfo ReadMembers(ref Utf8JsonReader reader, bool captureMethod)
    {
        string? id = null;
        string? method = null;
        string? cancelledId = null;
        bool hasMethod = false;
        bool isCancel = false;
        bool hasResultOrError = false;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // At depth 1 we only ever stand on property names: values are read or skipped whole below.
            if (reader.ValueTextEquals(IdName))
            {
                reader.Read();
                id = ReadId(ref reader);
            }
            else if (reader.ValueTextEquals(MethodName))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    hasMethod = true;
                    isCancel = reader.ValueTextEquals(CancelledMethod);
                    method = captureMethod ? reader.GetString() : null;
                }
                else
                {
                    // Not a valid method, but still one JSON value: skip it whole so its members stay nested.
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals(ParamsName))
            {
                reader.Read();
                cancelledId = ReadRequestIdParam(ref reader);
            }
            else
            {
                hasResultOrError |= reader.ValueTextEquals(ResultName) || reader.ValueTextEquals(ErrorName);
                reader.Read();
                reader.Skip();
            }
        }

        FrameKind kind = (hasMethod, id is not null, hasResultOrError) switch
        {
            (true, true, _) => FrameKind.Request,
            (true, false, _) => FrameKind.Notification,
            (false, true, true) => FrameKind.Response,
            _ => FrameKind.Other,
        };

        return new FrameInfo(kind, id, method, isCancel ? cancelledId : null);
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
                requestId = ReadId(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return requestId;
    }

    private static string? ReadId(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            case JsonTokenType.String:
                // Re-encode so the key is canonical whatever escaping the sender used.
                return JsonSerializer.Serialize(reader.GetString(), JsonRpcJsonContext.Default.String);
            default:
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }

                return null;
        }
    }

    private static string ParseErrorText(JsonException ex)
    {
        // JsonException messages carry "LineNumber: 0 | BytePositionInLine: N."; keep only the position.
        long position = ex.BytePositionInLine ?? 0;
        return $"invalid JSON at byte {position}";
    }
}
