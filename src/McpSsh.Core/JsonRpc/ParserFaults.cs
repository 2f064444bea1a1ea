using System.Text;
using System.Text.Json;

namespace McpSsh.JsonRpc;

/// <summary>
/// The exceptions System.Text.Json and the text decoders throw on input they cannot take. A frame that raises
/// one of them is a bad frame and costs that one message, never the session (issue 11: a lone surrogate made
/// <c>GetString</c> throw InvalidOperationException, which only a JsonException catch let through).
/// </summary>
public static class ParserFaults
{
    public static bool IsParserFault(Exception ex) => ex is JsonException
        or InvalidOperationException // GetString on a lone surrogate, GetValue<T> of the wrong kind
        or ArgumentException // duplicate keys in a JsonObject; DecoderFallbackException and invalid UTF-16 in a writer
        or FormatException
        or OverflowException
        or InvalidCastException
        or KeyNotFoundException
        or IndexOutOfRangeException
        or NotSupportedException
        or DecoderFallbackException
        or EncoderFallbackException;
}
