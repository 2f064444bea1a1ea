using McpSsh.Ssh.KnownHosts;
using McpSsh.Tests.Common;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.KnownHosts;

public class KnownHostsFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly byte[] _ed25519;
    private readonly byte[] _otherEd25519;
    private readonly byte[] _ecdsa;

    public KnownHostsFileTests()
    {
        _ed25519 = Blob(Tool.KeyGen(_dir.Path, "host_ed25519", "ed25519"));
        _otherEd25519 = Blob(Tool.KeyGen(_dir.Path, "other_ed25519", "ed25519"));
        _ecdsa = Blob(Tool.KeyGen(_dir.Path, "host_ecdsa", "ecdsa"));
    }

    public void Dispose() => _dir.Dispose();

    private static byte[] Blob(string privateKeyPath) =>
        Convert.FromBase64String(File.ReadAllText(privateKeyPath + ".pub").Split(' ')[1]);

    private static string Line(string hosts, byte[] blob) => $"{hosts} {SshKeyFormat.KeyTypeOf(blob)} {Convert.ToBase64String(blob)}";

    private static KnownHostsFile Parse(params string[] lines) => KnownHostsFile.Parse("/kh", lines);

    [Fact]
    public void Check_ExactEntry_IsKnownWithItsLine()
    {
        HostKeyCheck check = Parse("# comment", "", Line("[127.0.0.1]:2222", _ed25519)).Check("[127.0.0.1]:2222", _ed25519);
        Assert.Equal(HostKeyVerdict.Known, check.Verdict);
        Assert.Equal("/kh:3", check.Entries[0].Location);
    }

    [Fact]
    public void Check_PortMatters()
    {
        KnownHostsFile file = Parse(Line("[127.0.0.1]:2222", _ed25519));
        Assert.Equal(HostKeyVerdict.Unknown, file.Check("127.0.0.1", _ed25519).Verdict);
        Assert.Equal(HostKeyVerdict.Unknown, file.Check("[127.0.0.1]:2223", _ed25519).Verdict);
    }

    [Fact]
    public void Check_CommaListAndWildcards_Match()
    {
        KnownHostsFile file = Parse(Line("alpha,*.example.org,10.0.0.?", _ed25519));
        Assert.Equal(HostKeyVerdict.Known, file.Check("alpha", _ed25519).Verdict);
        Assert.Equal(HostKeyVerdict.Known, file.Check("db.EXAMPLE.org", _ed25519).Verdict);
        Assert.Equal(HostKeyVerdict.Known, file.Check("10.0.0.7", _ed25519).Verdict);
        Assert.Equal(HostKeyVerdict.Unknown, file.Check("10.0.0.17", _ed25519).Verdict);
        Assert.Equal(HostKeyVerdict.Unknown, file.Check("example.org", _ed25519).Verdict);
    }

    [Fact]
    public void Check_NegatedPattern_VetoesTheLine()
    {
        KnownHostsFile file = Parse(Line("*.example.org,!evil.example.org", _ed25519));
        Assert.Equal(HostKeyVerdict.Known, file.Check("good.example.org", _ed25519).Verdict);
        Assert.Equal(HostKeyVerdict.Unknown, file.Check("evil.example.org", _ed25519).Verdict);
    }

    [Fact]
    public void Check_DifferentKeyOfSameType_IsChangedAndCitesEveryConflictingLine()
    {
        HostKeyCheck check = Parse(Line("server", _otherEd25519), Line("other", _ed25519), Line("server,backup", _otherEd25519)).Check("server", _ed25519);
        Assert.Equal(HostKeyVerdict.Changed, check.Verdict);
        Assert.Equal([1, 3], check.Entries.Select(e => e.LineNumber));
    }

    [Fact]
    public void Check_HostKnownOnlyByAnotherKeyType_IsChangedNotUnknown()
    {
        // OpenSSH: a known host offering a key that matches none of its entries has CHANGED identification,
        // whatever the type; taking it for unknown let --accept-new trust an impostor with another key type.
        HostKeyCheck check = Parse(Line("other", _ed25519), Line("server", _ecdsa)).Check("server", _ed25519);
        Assert.Equal(HostKeyVerdict.Changed, check.Verdict);
        Assert.Equal("/kh:2", Assert.Single(check.Entries).Location);
    }

    [Fact]
    public void Check_KnownByEd25519_OfferedEcdsa_IsChangedCitingEveryEntryOfTheHost()
    {
        KnownHostsFile file = Parse(Line("server", _ed25519), Line("elsewhere", _ecdsa), Line("server", _otherEd25519));
        HostKeyCheck check = file.Check("server", _ecdsa);
        Assert.Equal(HostKeyVerdict.Changed, check.Verdict);
        Assert.Equal([1, 3], check.Entries.Select(e => e.LineNumber));
    }

    [Fact]
    public void Check_OnlyRevokedOrCertAuthorityLinesForTheHost_IsUnknown()
    {
        // Neither kind makes the host "known by a key": a revoked key vetoes, a CA line is not a host key.
        KnownHostsFile file = Parse("@revoked " + Line("server", _otherEd25519), "@cert-authority " + Line("server", _ed25519));
        HostKeyCheck check = file.Check("server", _ecdsa);
        Assert.Equal(HostKeyVerdict.Unknown, check.Verdict);
        Assert.Empty(check.Entries);
    }

    [Fact]
    public void Check_SeveralKeysForOneHost_AnyMatchingKeyIsKnown()
    {
        KnownHostsFile file = Parse(Line("server", _otherEd25519), Line("server", _ecdsa), Line("server", _ed25519));
        Assert.Equal(HostKeyVerdict.Known, file.Check("server", _ed25519).Verdict);
        Assert.Equal(HostKeyVerdict.Known, file.Check("server", _ecdsa).Verdict);
        Assert.Equal(["ssh-ed25519", "ecdsa-sha2-nistp256"], file.KnownKeyTypes("server"));
    }

    [Fact]
    public void Check_RevokedKey_IsRevokedEvenWhenAlsoListed()
    {
        HostKeyCheck check = Parse(Line("server", _ed25519), "@revoked " + Line("*", _ed25519)).Check("server", _ed25519);
        Assert.Equal(HostKeyVerdict.Revoked, check.Verdict);
        Assert.Equal(2, check.Entries[0].LineNumber);
    }

    [Fact]
    public void Check_CertAuthorityLine_IsNotAHostKey()
    {
        KnownHostsFile file = Parse("@cert-authority " + Line("*.example.org", _ed25519));
        Assert.Equal(HostKeyVerdict.Unknown, file.Check("a.example.org", _ed25519).Verdict);
        Assert.True(file.HasCertAuthorityFor("a.example.org"));
    }

    [Fact]
    public void Parse_GarbageLines_AreSkippedAndCounted()
    {
        KnownHostsFile file = Parse("@bogus-marker " + Line("x", _ed25519), "onlyonefield", "host ssh-ed25519 !!notbase64!!", Line("server", _ed25519));
        Assert.Equal(3, file.SkippedLines);
        Assert.Equal(4, Assert.Single(file.Entries).LineNumber);
    }

    [Fact]
    public void Check_FileHashedBySshKeygen_MatchesHashedEntries()
    {
        string path = _dir.File("known_hosts");
        File.WriteAllLines(path, [Line("[127.0.0.1]:2222", _ed25519), Line("plain.example.org,other", _ecdsa)]);
        Tool.Run("ssh-keygen", "-q", "-H", "-f", path);

        KnownHostsFile file = KnownHostsFile.Load(path);
        Assert.All(file.Entries, e => Assert.StartsWith("|1|", e.HostField));
        Assert.Equal(HostKeyVerdict.Known, file.Check("[127.0.0.1]:2222", _ed25519).Verdict);
        Assert.Equal(HostKeyVerdict.Changed, file.Check("[127.0.0.1]:2222", _otherEd25519).Verdict);
        Assert.Equal(HostKeyVerdict.Known, file.Check("other", _ecdsa).Verdict);
        Assert.Equal(HostKeyVerdict.Unknown, file.Check("[127.0.0.1]:2223", _ed25519).Verdict);
    }

    [Fact]
    public void Hash_MatchesWhatSshKeygenFinds()
    {
        string path = _dir.File("known_hosts");
        string hashed = HostPatternMatcher.Hash("[10.1.2.3]:8022", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
        File.WriteAllText(path, Line(hashed, _ed25519) + "\n");
        // ssh-keygen -F looks a host up in a (hashed) known_hosts file, independently of our matcher.
        Assert.Contains("found: line 1", Tool.Run("ssh-keygen", "-F", "[10.1.2.3]:8022", "-f", path));
        Assert.True(HostPatternMatcher.MatchesHashed(hashed, "[10.1.2.3]:8022"));
    }

    [Fact]
    public void Append_AddsLineAtomicallyAndKeepsExistingContent()
    {
        string path = _dir.File("kh_append");
        File.WriteAllText(path, Line("first", _ecdsa)); // no trailing newline
        KnownHostsFile.Append(path, SshKeyFormat.KnownHostsLine("[127.0.0.1]:2222", _ed25519));

        KnownHostsFile file = KnownHostsFile.Load(path);
        Assert.Equal(2, file.Entries.Count);
        Assert.Equal(HostKeyVerdict.Known, file.Check("[127.0.0.1]:2222", _ed25519).Verdict);
        Assert.Equal(HostKeyVerdict.Known, file.Check("first", _ecdsa).Verdict);
        Assert.Empty(Directory.GetFiles(_dir.Path, ".kh_append*"));
    }

    [Fact]
    public void Append_NewFile_IsCreated0644()
    {
        string path = Path.Combine(_dir.Path, "newdir", "known_hosts");
        KnownHostsFile.Append(path, SshKeyFormat.KnownHostsLine("h", _ed25519));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Fingerprint_MatchesSshKeygen()
    {
        string expected = Tool.Run("ssh-keygen", "-l", "-E", "sha256", "-f", _dir.File("host_ed25519.pub")).Split(' ')[1];
        Assert.Equal(expected, SshKeyFormat.Sha256Fingerprint(_ed25519));
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("a*c", "abbbc", true)]
    [InlineData("a*c", "abbbd", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*.*.org", "a.b.org", true)]
    [InlineData("[127.0.0.1]:*", "[127.0.0.1]:8022", true)]
    public void WildcardMatch_Cases(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, HostPatternMatcher.WildcardMatch(pattern, text));
    }
}
