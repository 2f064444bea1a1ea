using System.Text.Encodings.Web;
using System.Text.Json;
using L = McpSsh.Cli.HostConfig.TextLayout;

namespace McpSsh.Cli.HostConfig;

/// <summary>
/// Adds, replaces and removes one entry of a client's server list by splicing the file's text: every other entry,
/// unknown field, comment, trailing comma and the file's indentation stay as they were. An add followed by a remove
/// gives back the same bytes whenever the server list existed before (the list itself is kept, now maybe empty).
/// </summary>
internal static class JsoncEditor
{
    /// <summary>Renders a value at a given indent (the indent of its member's line) in the file's layout.</summary>
    public delegate string ValueRenderer(string indent, L layout);

    /// <summary>The file's top-level object; an empty or blank file counts as {} .</summary>
    public static JsoncNode ParseRoot(string text)
    {
        JsoncNode root = JsoncParser.Parse(text);
        return root.Kind == JsoncKind.Object ? root : throw new JsoncException("the top level is not a JSON object", 1, 1);
    }

    /// <summary>The server list <paramref name="containerKey"/>; null when absent; an error when it is not an object.</summary>
    public static JsoncNode? Container(string text, JsoncNode root, string containerKey)
    {
        if (root.Member(containerKey) is not { } member)
        {
            return null;
        }

        if (member.Value.Kind != JsoncKind.Object)
        {
            (int line, int column) = JsoncParser.Position(text, member.Value.Start);
            throw new JsoncException($"\"{containerKey}\" is not an object", line, column);
        }

        return member.Value;
    }

    /// <summary>
    /// The text with <paramref name="name"/> set in the server list (created when missing); <paramref name="replaced"/>
    /// tells whether it existed. Throws <see cref="EntryExistsException"/> when it exists and <paramref name="force"/> is off.
    /// </summary>
    public static string Upsert(string text, string containerKey, string name, ValueRenderer value, bool force, out bool replaced)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            text = "{}" + (text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n");
        }

        JsoncNode root = ParseRoot(text);
        L layout = L.Detect(text, root);
        JsoncNode? container = Container(text, root, containerKey);
        replaced = false;
        if (container is null)
        {
            return Insert(text, root, layout, containerKey, (indent, l) =>
            {
                string inner = l.Compact ? "" : indent + l.Unit;
                string nl = l.Compact ? "" : l.NewLine;
                return "{" + nl + inner + Key(name, l) + value(inner, l) + nl + indent + "}";
            });
        }

        if (container.Member(name) is { } existing)
        {
            if (!force)
            {
                throw new EntryExistsException(name);
            }

            replaced = true;
            string indent = L.StartsLine(text, existing.KeyStart) ? L.LineIndent(text, existing.KeyStart) : L.LineIndent(text, container.Start) + layout.Unit;
            return string.Concat(text.AsSpan(0, existing.Value.Start), value(layout.Compact ? "" : indent, layout), text.AsSpan(existing.Value.End));
        }

        return Insert(text, container, layout, name, value);
    }

    /// <summary>
    /// The text without <paramref name="name"/> in the server list; null when it is not there. A name that is there
    /// more than once loses every copy: hosts take the last one, so removing only that one would bring the one before back.
    /// </summary>
    public static string? Remove(string text, string containerKey, string name)
    {
        string? removed = RemoveLast(text, containerKey, name);
        for (string? next = removed; next is not null; next = RemoveLast(next, containerKey, name))
        {
            removed = next;
        }

        return removed;
    }

    private static string? RemoveLast(string text, string containerKey, string name)
    {
        JsoncNode root = ParseRoot(text);
        if (Container(text, root, containerKey) is not { } obj || obj.Member(name) is not { } member)
        {
            return null;
        }

        int index = obj.Members.LastIndexOf(member);
        if (obj.Members.Count == 1)
        {
            // Inserted into an empty {} (whose inside was blank: it becomes {} again), or right after a '{' whose inside held comments.
            bool blankAfter = string.IsNullOrWhiteSpace(text[member.End..(obj.End - 1)]);
            return blankAfter ? Cut(text, obj.Start + 1, obj.End - 1) : Cut(text, obj.Start + 1, member.End);
        }

        if (index == obj.Members.Count - 1)
        {
            // Inserted after the previous member's comma (and a // comment ending that line); without a trailing comma of
            // its own, that comma was added too, right after the previous value.
            JsoncMember previous = obj.Members[index - 1];
            int start = L.SkipLineComment(text, previous.CommaEnd);
            string cut = Cut(text, start, member.End);
            return member.CommaEnd >= 0 ? cut : Cut(cut, previous.CommaEnd - 1, previous.CommaEnd);
        }

        // A member in the middle: its whole line(s) when it has them to itself, else just its text up to the next member.
        JsoncMember next = obj.Members[index + 1];
        int afterComma = L.SkipLineComment(text, member.CommaEnd);
        int p = afterComma;
        while (p < text.Length && text[p] is ' ' or '\t' or '\r')
        {
            p++;
        }

        return L.StartsLine(text, member.KeyStart) && p < text.Length && text[p] == '\n'
            ? Cut(text, L.LineStart(text, member.KeyStart), p + 1)
            : Cut(text, member.KeyStart, next.KeyStart);
    }

    /// <summary>A JSON string literal for <paramref name="value"/> (quotes, backslashes and controls escaped; other text kept readable).</summary>
    public static string Quote(string value) => "\"" + JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";

    private static string Key(string name, L layout) => Quote(name) + (layout.Compact ? ":" : ": ");

    private static string Insert(string text, JsoncNode obj, L layout, string name, ValueRenderer value)
    {
        string nl = layout.Compact ? "" : layout.NewLine;
        if (obj.Members.Count == 0)
        {
            string outer = L.LineIndent(text, obj.Start);
            string indent = layout.Compact ? "" : outer + layout.Unit;
            string member = Key(name, layout) + value(indent, layout);
            return string.IsNullOrWhiteSpace(text[(obj.Start + 1)..(obj.End - 1)])
                ? string.Concat(text.AsSpan(0, obj.Start + 1), nl + indent + member + nl + (layout.Compact ? "" : outer), text.AsSpan(obj.End - 1))
                : text.Insert(obj.Start + 1, nl + indent + member);
        }

        JsoncMember last = obj.Members[^1];
        string memberIndent = layout.Compact ? ""
            : L.StartsLine(text, last.KeyStart) ? L.LineIndent(text, last.KeyStart)
            : L.LineIndent(text, obj.Start) + layout.Unit;
        string text2 = Key(name, layout) + value(memberIndent, layout);
        if (last.CommaEnd >= 0)
        {
            // A trailing comma (JSONC): the new member goes after it, and keeps the style with one of its own.
            int at = L.SkipLineComment(text, last.CommaEnd);
            return text.Insert(at, nl + memberIndent + text2 + ",");
        }

        int lineEnd = L.SkipLineComment(text, last.Value.End);
        return string.Concat(text[..last.Value.End], ",", text[last.Value.End..lineEnd], nl + memberIndent + text2, text[lineEnd..]);
    }

    private static string Cut(string text, int start, int end) => string.Concat(text.AsSpan(0, start), text.AsSpan(end));
}

/// <summary>An entry of that name is already there and --force was not given.</summary>
internal sealed class EntryExistsException(string name) : Exception($"an entry named \"{name}\" exists")
{
    public string Name { get; } = name;
}
