using System.Buffers;
using System.Text.Json;
using McpSsh.JsonRpc;

namespace McpSsh.Filtering;

/// <summary>
/// Removes filtered tools from a <c>tools/list</c> answer by splicing bytes: every member of the frame and of the
/// result (<c>nextCursor</c>, and in the 2026-07-28 era <c>resultType</c>, <c>ttlMs</c>, <c>cacheScope</c>,
/// <c>_meta</c>) and every kept tool stay exactly the bytes that arrived. Only the <c>tools</c> array is rebuilt,
/// and only when a tool is removed.
/// </summary>
/// <remarks>
/// A frame that names the same member twice is filtered in every copy (each <c>result</c>, each <c>tools</c>,
/// and a tool is removed if any of its <c>name</c> members is filtered), so no JSON parser's choice of duplicate
/// shows a filtered tool. A tool whose name is missing, not a string or not valid Unicode is checked as the
/// empty name (an allow list removes it).
/// </remarks>
public static class ToolListRewriter
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    private static ReadOnlySpan<byte> ResultName => "result"u8;
    private static ReadOnlySpan<byte> ToolsName => "tools"u8;
    private static ReadOnlySpan<byte> NameName => "name"u8;

    /// <summary>The frame without the tools <paramref name="filter"/> refuses, or null when nothing was removed.</summary>
    public static byte[]? Rewrite(ReadOnlySequence<byte> frame, ToolFilter filter, out int removed)
    {
        removed = 0;
        var edits = new List<(long Start, long End, byte[] Replacement)>();
        try
        {
            var reader = new Utf8JsonReader(frame, s_options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isResult = reader.ValueTextEquals(ResultName);
                reader.Read();
                if (isResult && reader.TokenType == JsonTokenType.StartObject)
                {
                    removed += RewriteResult(ref reader, frame, filter, edits);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return null; // callers pass inspected frames; anything else is left as it came
        }

        return edits.Count == 0 ? null : Splice(frame, edits);
    }

    private static int RewriteResult(ref Utf8JsonReader reader, ReadOnlySequence<byte> frame, ToolFilter filter, List<(long, long, byte[])> edits)
    {
        int removed = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isTools = reader.ValueTextEquals(ToolsName);
            reader.Read();
            if (!isTools || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            long arrayStart = reader.TokenStartIndex;
            var kept = new List<(long Start, long End)>();
            bool dropped = false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                long itemStart = reader.TokenStartIndex;
                bool pass = reader.TokenType != JsonTokenType.StartObject || Passes(ref reader, filter);
                if (reader.TokenType != JsonTokenType.EndObject)
                {
                    reader.Skip(); // a non-object item: kept as it is (not a tool a host could call)
                }

                if (pass)
                {
                    kept.Add((itemStart, reader.BytesConsumed));
                }
                else
                {
                    dropped = true;
                    removed++;
                }
            }

            if (dropped)
            {
                edits.Add((arrayStart, reader.BytesConsumed, JoinArray(frame, kept)));
            }
        }

        return removed;
    }

    /// <summary>Reads one tool object to its end; false if any of its names is refused.</summary>
    private static bool Passes(ref Utf8JsonReader reader, ToolFilter filter)
    {
        bool pass = true, named = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isName = reader.ValueTextEquals(NameName);
            reader.Read();
            if (isName)
            {
                named = true;
                pass &= filter.Check(Text(ref reader)).Allowed;
            }

            reader.Skip();
        }

        return named ? pass : pass && filter.Check("").Allowed;
    }

    /// <summary>A string value decoded, or "" for anything else (a number, a lone surrogate escape).</summary>
    internal static string Text(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return "";
        }

        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return ""; // a lone surrogate escape cannot become a string
        }
    }

    private static byte[] JoinArray(ReadOnlySequence<byte> frame, List<(long Start, long End)> kept)
    {
        var array = new ArrayBufferWriter<byte>();
        array.Write("["u8);
        for (int i = 0; i < kept.Count; i++)
        {
            if (i > 0)
            {
                array.Write(","u8);
            }

            foreach (ReadOnlyMemory<byte> segment in frame.Slice(kept[i].Start, kept[i].End - kept[i].Start))
            {
                array.Write(segment.Span);
            }
        }

        array.Write("]"u8);
        return array.WrittenSpan.ToArray();
    }

    private static byte[] Splice(ReadOnlySequence<byte> frame, List<(long Start, long End, byte[] Replacement)> edits)
    {
        var output = new ArrayBufferWriter<byte>((int)frame.Length);
        long at = 0;
        foreach ((long start, long end, byte[] replacement) in edits)
        {
            foreach (ReadOnlyMemory<byte> segment in frame.Slice(at, start - at))
            {
                output.Write(segment.Span);
            }

            output.Write(replacement);
            at = end;
        }

        foreach (ReadOnlyMemory<byte> segment in frame.Slice(at))
        {
            output.Write(segment.Span);
        }

        return output.WrittenSpan.ToArray();
    }
}
