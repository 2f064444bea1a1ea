using McpSsh.Cli.HostConfig;

namespace McpSsh.Tests.HostConfig;

/// <summary>
/// Seeded mutations of the golden files (characters deleted, inserted, truncated): the reader either accepts a text
/// or says where it is wrong (never another exception, never a hang), and whatever it accepts, an add gives a text
/// it accepts again with the entry in it, and a remove of that gives a text it accepts without the entry; when the
/// server list already had entries, that text is the mutated file again, character for character.
/// </summary>
public class JsoncFuzzTests
{
    private const string Alphabet = "{}[]\",:/*\n\r\t ab1-\\u";

    [Fact]
    public void MutatedFiles_ParseOrFailWithAPosition_EditsStayValid()
    {
        var random = new Random(15);
        string[] files = ["claude-desktop", "claude-code", "cursor", "vscode", "windsurf", "zed", "claude-desktop-minified"];
        int accepted = 0;
        for (int i = 0; i < 3000; i++)
        {
            string name = files[i % files.Length];
            string text = Mutate(File.ReadAllText(HostConfigGoldenTests.Golden(name + ".before.json")), random);
            HostClient client = HostClient.Find(name.Replace("-minified", "", StringComparison.Ordinal))!;
            string after;
            try
            {
                after = JsoncEditor.Upsert(text, client.ContainerKey, "work", (indent, layout) => HostConfigGoldenTests.Entry.Render(client, indent, layout), force: false, out _);
            }
            catch (Exception ex) when (ex is JsoncException or EntryExistsException)
            {
                if (ex is JsoncException position)
                {
                    Assert.InRange(position.Line, 1, text.Count(c => c == '\n') + 1);
                }

                continue;
            }

            accepted++;
            JsoncNode root = JsoncEditor.ParseRoot(after);
            Assert.True(JsoncEditor.Container(after, root, client.ContainerKey)!.Member("work") is not null, $"case {i}: {text}");
            string removed = JsoncEditor.Remove(after, client.ContainerKey, "work")!;
            Assert.Null(JsoncEditor.Container(removed, JsoncEditor.ParseRoot(removed), client.ContainerKey)!.Member("work"));
            JsoncNode? before = string.IsNullOrWhiteSpace(text) ? null : JsoncEditor.Container(text, JsoncEditor.ParseRoot(text), client.ContainerKey);
            if (before is { Members.Count: > 0 })
            {
                Assert.True(text == removed, $"case {i} round trip:\n{text}\n----\n{after}\n----\n{removed}");
            }
        }

        Assert.InRange(accepted, 100, 2999); // both paths were exercised
    }

    private static string Mutate(string text, Random random)
    {
        var chars = new List<char>(text);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && chars.Count > 0; e++)
        {
            int at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0: chars.RemoveAt(at); break;
                case 1: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                case 2: chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                default: chars.RemoveRange(at, chars.Count - at); break;
            }
        }

        return new string([.. chars]);
    }
}
