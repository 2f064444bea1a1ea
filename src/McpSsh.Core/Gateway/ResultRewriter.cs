using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Gateway;

/// <summary>
/// Rewrites the top-level members of a response's <c>result</c> object by splicing bytes, for the bridge
/// between eras: a legacy backend's result gains <c>resultType</c> (and cache hints) for a modern host, a
/// modern backend's result loses them for a legacy host. Every member the bridge does not name is copied as
/// the backend wrote it (a tool's 8 MiB result is never decoded).
/// </summary>
internal static class ResultRewriter
{
    /// <summary>One top-level member of the result: its name and the byte range of the whole member and of its value.</summary>
    internal readonly record struct Member(string Name, long Start, long ValueStart, long End);

    /// <summary>The result object's members and its byte range [Start, End), or null when the frame has no object result.</summary>
    internal sealed record Layout(long Start, long End, List<Member> Members);

    public static Layout? Read(ReadOnlySequence<byte> frame)
    {
        try
        {
            var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 512 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isResult = reader.ValueTextEquals("result"u8);
                reader.Read();
                if (isResult && reader.TokenType == JsonTokenType.StartObject)
                {
                    return ReadResult(ref reader);
                }

                reader.Skip();
            }
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            // A member name the bridge cannot read: the frame passes unchanged.
        }

        return null;
    }

    private static Layout ReadResult(ref Utf8JsonReader reader)
    {
        long start = reader.TokenStartIndex;
        var members = new List<Member>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            long memberStart = reader.TokenStartIndex;
            string name = reader.GetString()!;
            reader.Read();
            long valueStart = reader.TokenStartIndex;
            reader.Skip();
            members.Add(new Member(name, memberStart, valueStart, reader.BytesConsumed));
        }

        return new Layout(start, reader.BytesConsumed, members);
    }

    /// <summary>The value of result member <paramref name="name"/> as a string, if it is one.</summary>
    public static string? StringMember(ReadOnlySequence<byte> frame, Layout layout, string name)
    {
        if (layout.Members.FirstOrDefault(m => m.Name == name) is not { Name: not null } member)
        {
            return null;
        }

        var reader = new Utf8JsonReader(frame.Slice(member.ValueStart, member.End - member.ValueStart));
        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }

    /// <summary>
    /// For a modern host: adds <c>resultType:"complete"</c> and, where the modern era has them (lists,
    /// resources/read, discover), <c>ttlMs:0,cacheScope:"private"</c> (a legacy server never said its answers
    /// may be cached). Members already present are kept.
    /// </summary>
    public static ReadOnlySequence<byte> ToModern(ReadOnlySequence<byte> frame, bool cacheHints)
    {
        if (Read(frame) is not { } layout)
        {
            return frame;
        }

        var added = new List<byte[]>();
        if (!layout.Members.Any(m => m.Name == McpFields.ResultType))
        {
            added.Add(Encoding.UTF8.GetBytes($"\"{McpFields.ResultType}\":\"{McpFields.Complete}\""));
        }

        if (cacheHints && !layout.Members.Any(m => m.Name == McpFields.TtlMs))
        {
            added.Add(Encoding.UTF8.GetBytes($"\"{McpFields.TtlMs}\":0"));
        }

        if (cacheHints && !layout.Members.Any(m => m.Name == McpFields.CacheScope))
        {
            added.Add(Encoding.UTF8.GetBytes($"\"{McpFields.CacheScope}\":\"{McpFields.Private}\""));
        }

        return added.Count == 0 ? frame : Rebuild(frame, layout, layout.Members.Select(m => frame.Slice(m.Start, m.End - m.Start).ToArray()).Concat(added));
    }

    /// <summary>
    /// For a legacy host: removes <c>resultType</c>, <c>ttlMs</c>, <c>cacheScope</c> and <c>_meta</c>'s
    /// serverInfo (the legacy era has none of them); other <c>_meta</c> keys stay.
    /// </summary>
    public static ReadOnlySequence<byte> ToLegacy(ReadOnlySequence<byte> frame)
    {
        if (Read(frame) is not { } layout || !layout.Members.Any(IsModernOnly))
        {
            return frame;
        }

        var kept = new List<byte[]>();
        foreach (Member member in layout.Members)
        {
            if (member.Name is McpFields.ResultType or McpFields.TtlMs or McpFields.CacheScope)
            {
                continue;
            }

            if (member.Name == McpMetaKeys.Meta && StripServerInfo(frame.Slice(member.ValueStart, member.End - member.ValueStart)) is { } meta)
            {
                if (meta.Count > 0)
                {
                    kept.Add([.. Encoding.UTF8.GetBytes($"\"{McpMetaKeys.Meta}\":"), .. JsonFrameWriter.Write(meta).ToArray()]);
                }

                continue;
            }

            kept.Add(frame.Slice(member.Start, member.End - member.Start).ToArray());
        }

        return Rebuild(frame, layout, kept);
    }

    private static bool IsModernOnly(Member member) => member.Name is McpFields.ResultType or McpFields.TtlMs or McpFields.CacheScope or McpMetaKeys.Meta;

    /// <summary>The _meta object without serverInfo, or null to keep it as it was (not an object, unreadable, no serverInfo).</summary>
    private static JsonObject? StripServerInfo(ReadOnlySequence<byte> value)
    {
        try
        {
            var reader = new Utf8JsonReader(value);
            if (JsonNode.Parse(ref reader) is not JsonObject meta || !meta.ContainsKey(McpMetaKeys.ServerInfo))
            {
                return null;
            }

            meta.Remove(McpMetaKeys.ServerInfo);
            return meta;
        }
        catch (Exception ex) when (ParserFaults.IsParserFault(ex))
        {
            return null;
        }
    }

    private static ReadOnlySequence<byte> Rebuild(ReadOnlySequence<byte> frame, Layout layout, IEnumerable<byte[]> members)
    {
        var output = new ArrayBufferWriter<byte>((int)frame.Length + 96);
        foreach (ReadOnlyMemory<byte> segment in frame.Slice(0, layout.Start))
        {
            output.Write(segment.Span);
        }

        output.Write("{"u8);
        bool first = true;
        foreach (byte[] member in members)
        {
            if (!first)
            {
                output.Write(","u8);
            }

            first = false;
            output.Write(member);
        }

        output.Write("}"u8);
        foreach (ReadOnlyMemory<byte> segment in frame.Slice(layout.End))
        {
            output.Write(segment.Span);
        }

        return new ReadOnlySequence<byte>(output.WrittenMemory);
    }
}
