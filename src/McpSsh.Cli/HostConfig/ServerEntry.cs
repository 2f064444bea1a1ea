using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpSsh.Cli.HostConfig;

/// <summary>The stdio entry `config add` writes: this binary's absolute path and the connection flags.</summary>
internal sealed record ServerEntry(string Command, IReadOnlyList<string> Args)
{
    /// <summary>The entry as JSON in the client's shape, laid out like the file, continuation lines at <paramref name="indent"/>.</summary>
    public string Render(HostClient client, string indent, TextLayout layout)
    {
        var options = new JsonWriterOptions
        {
            Indented = !layout.Compact,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NewLine = layout.NewLine,
            IndentCharacter = layout.Unit.Length > 0 && layout.Unit.All(c => c == '\t') ? '\t' : ' ',
            IndentSize = layout.Unit.Length > 0 && (layout.Unit.All(c => c == '\t') || layout.Unit.All(c => c == ' ')) ? Math.Min(layout.Unit.Length, 127) : 2,
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            writer.WriteStartObject();
            if (client.TypeStdio)
            {
                writer.WriteString("type", "stdio");
            }

            writer.WriteString("command", Command);
            writer.WriteStartArray("args");
            foreach (string arg in Args)
            {
                writer.WriteStringValue(arg);
            }

            writer.WriteEndArray();
            if (client.EmptyEnv)
            {
                writer.WriteStartObject("env");
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        string json = Encoding.UTF8.GetString(buffer.ToArray());
        return layout.Compact ? json : json.Replace(layout.NewLine, layout.NewLine + indent, StringComparison.Ordinal);
    }

    /// <summary>Reads an entry back: command and string args; null when the value is not a stdio entry.</summary>
    public static ServerEntry? Read(JsoncNode value)
    {
        if (value.Kind != JsoncKind.Object || value.Member("command")?.Value is not { Kind: JsoncKind.String, Text: { } command })
        {
            return null;
        }

        List<string> args = value.Member("args")?.Value is { Kind: JsoncKind.Array } array
            ? [.. array.Items.Select(i => i.Text ?? "?")]
            : [];
        return new ServerEntry(command, args);
    }

    /// <summary>Whether <see cref="Command"/> runs mcp-ssh: its file name is mcp-ssh (mcp-ssh.exe on Windows).</summary>
    public bool IsMcpSsh
    {
        get
        {
            string file = Command[(Command.LastIndexOfAny(['/', '\\']) + 1)..];
            return file.Equals("mcp-ssh", StringComparison.Ordinal) || file.Equals("mcp-ssh.exe", StringComparison.OrdinalIgnoreCase);
        }
    }
}
