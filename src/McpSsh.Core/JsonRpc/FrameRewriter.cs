using System.Buffers;
using System.Text;
using System.Text.Json;

namespace McpSsh.JsonRpc;

/// <summary>
/// Replaces the top-level <c>id</c> of a valid frame by splicing bytes: everything else (a tool's 8 MiB result,
/// its exact escaping and member order) is copied as it came, with no JSON tree built.
/// </summary>
public static class FrameRewriter
{
    private static ReadOnlySpan<byte> IdName => "id"u8;

    /// <summary>The frame with its top-level id value replaced by <paramref name="rawId"/> (JSON text), or null if it has no id.</summary>
    public static ReadOnlySequence<byte>? ReplaceId(ReadOnlySequence<byte> frame, string rawId)
    {
        if (FindId(frame) is not (long start, long end))
        {
            return null;
        }

        byte[] id = Encoding.UTF8.GetBytes(rawId);
        byte[] result = new byte[frame.Length - (end - start) + id.Length];
        frame.Slice(0, start).CopyTo(result);
        id.CopyTo(result.AsSpan((int)start));
        frame.Slice(end).CopyTo(result.AsSpan((int)start + id.Length));
        return new ReadOnlySequence<byte>(result);
    }

    /// <summary>Byte range [start, end) of the top-level id value.</summary>
    public static (long Start, long End)? FindId(ReadOnlySequence<byte> frame)
    {
        try
        {
            return FindIdCore(frame);
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return null; // callers pass inspected frames; anything else is simply not rewritten
        }
    }

    private static (long Start, long End)? FindIdCore(ReadOnlySequence<byte> frame)
    {
        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 512 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isId = reader.ValueTextEquals(IdName);
            reader.Read();
            if (isId && reader.TokenType is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.Null)
            {
                return (reader.TokenStartIndex, reader.BytesConsumed);
            }

            reader.Skip();
        }

        return null;
    }
}
