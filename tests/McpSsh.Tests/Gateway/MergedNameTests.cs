using System.Text.RegularExpressions;
using McpSsh.Gateway;

namespace McpSsh.Tests.Gateway;

public partial class MergedNameTests
{
    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex HostRule();

    public static TheoryData<string, string> OddNames => new()
    {
        { "files", "read_file" },
        { "my.server", "tool.v1" },
        { "my server/with spaces", "do it!" },
        { "日本語のサーバー", "ツール" },
        { "emoji😀server", "😀" },
        { new string('s', 200), "echo" },
        { "srv", new string('t', 200) },
        { new string('a', 100), new string('b', 100) },
        { "x", "" },
        { "lone\uD800surrogate", "name\uDC00" },
        { "tab\tand\nnewline", "quote\"back\\slash" },
    };

    [Theory]
    [MemberData(nameof(OddNames))]
    public void EveryPolicy_GivesNamesHostsAccept(string server, string tool)
    {
        foreach (NamePolicy policy in Enum.GetValues<NamePolicy>())
        {
            var map = new NameMap(policy);
            string merged = map.Merge(server, tool);
            Assert.Matches(HostRule(), merged);
            Assert.True(MergedName.IsValid(merged));
            Assert.True(map.TryResolve(merged, out string backend, out string name));
            Assert.Equal((server, tool), (backend, name)); // exactly the backend's own name back
        }
    }

    [Fact]
    public void ValidShortNames_AreUnchanged()
    {
        Assert.Equal("read_file", MergedName.Plain("read_file"));
        Assert.Equal("files__read_file", MergedName.Prefixed("files", "read_file"));
        Assert.Equal("my_server__tool_v1", MergedName.Prefixed("my.server", "tool.v1"));
    }

    [Fact]
    public void LongName_IsCutWithTheHashOfTheWholeOriginal()
    {
        string tool = "get_" + new string('x', 100);
        string merged = MergedName.Plain(tool);
        Assert.Equal(64, merged.Length);
        // The hash is a pure function of the original: the same in every session and on every machine.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tool)))[..6], merged[^6..]);
        Assert.Equal(tool[..57] + "_" + merged[^6..], merged);
    }

    [Fact]
    public void Hash_IsAFixedValue_SoNamesSurviveRestartsAndUpgrades()
    {
        // Pinned: if this changes, every host's saved tool permissions for long names break.
        Assert.Equal("2cf24d", MergedName.Hash("hello"));
        string name = new string('a', 70);
        Assert.Equal(new string('a', 57) + "_" + MergedName.Hash(name), MergedName.Plain(name));
        Assert.Equal(MergedName.Plain(name), new NameMap(NamePolicy.Suffix).Merge("other", name));
    }

    [Fact]
    public void LongNamesSharingABeginning_StayApart()
    {
        string prefix = new string('p', 80);
        string a = MergedName.Plain(prefix + "_alpha");
        string b = MergedName.Plain(prefix + "_beta");
        Assert.NotEqual(a, b);
        Assert.Equal(a[..57], b[..57]);
    }

    [Fact]
    public void Prefixed_LongServerIsCutFirst_SoTheToolNameStaysReadable()
    {
        string server = "a-very-long-server-name-that-goes-on-and-on";
        string merged = MergedName.Prefixed(server, "read_file");
        Assert.Equal($"{server[..17]}_{MergedName.Hash(server)}__read_file", merged);
        Assert.True(MergedName.IsValid(merged));
    }

    [Fact]
    public void WithSuffix_KeepsTheWholeWithin64()
    {
        string full = new string('z', 64);
        Assert.Equal(new string('z', 62) + "_1", MergedName.WithSuffix(full, "_1"));
        Assert.Equal("echo_12", MergedName.WithSuffix("echo", "_12"));
    }
}
