using System.Buffers.Binary;
using McpSsh.Server.KeyServer;
using McpSsh.Ssh.Keys;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.Server;

public class AuthorizedKeysStoreTests
{
    /// <summary>A well-formed ssh-ed25519 key line with random key bytes.</summary>
    internal static PublicKeyLine RandomKey(string comment = "c")
    {
        byte[] type = "ssh-ed25519"u8.ToArray();
        byte[] blob = new byte[4 + type.Length + 4 + 32];
        BinaryPrimitives.WriteInt32BigEndian(blob, type.Length);
        type.CopyTo(blob, 4);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4 + type.Length), 32);
        Random.Shared.NextBytes(blob.AsSpan(4 + type.Length + 4));
        Assert.True(PublicKeyLine.TryParse($"ssh-ed25519 {Convert.ToBase64String(blob)} {comment}", out PublicKeyLine? key, out _));
        return key!;
    }

    [Fact]
    public async Task HundredConcurrentRegistrations_LeaveExactlyHundredRestrictedLines_0600()
    {
        using var dir = new TempDirectory();
        var store = new AuthorizedKeysStore(dir.File("registered_keys"));
        PublicKeyLine[] keys = [.. Enumerable.Range(0, 100).Select(i => RandomKey($"user{i}@host"))];

        bool[] added = await Task.WhenAll(keys.Select(k => Task.Run(() => store.AddAsync(k, CancellationToken.None))));

        Assert.All(added, Assert.True);
        string[] lines = File.ReadAllLines(store.Path);
        Assert.Equal(100, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("restrict ssh-ed25519 ", l));
        Assert.Equal(keys.Select(k => k.TypeAndKey).Order(), lines.Select(l => string.Join(' ', l.Split(' ')[1..3])).Order());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
    }

    [Fact]
    public async Task SameKeyTwice_OneLine_EvenWithAnotherCommentOrOptionsAlreadyThere()
    {
        using var dir = new TempDirectory();
        PublicKeyLine key = RandomKey("first");
        File.WriteAllText(dir.File("registered_keys"), $"from=\"10.0.0.0/8\" {key.TypeAndKey} admin-added");
        var store = new AuthorizedKeysStore(dir.File("registered_keys"));

        Assert.False(await store.AddAsync(key, CancellationToken.None));
        Assert.True(await store.AddAsync(RandomKey(), CancellationToken.None));
        Assert.Equal(2, File.ReadAllLines(store.Path).Length);
    }

    [Fact]
    public async Task Comments_AreReducedToHarmlessCharacters()
    {
        using var dir = new TempDirectory();
        var store = new AuthorizedKeysStore(dir.File("registered_keys"));
        Assert.True(PublicKeyLine.TryParse(RandomKey().TypeAndKey + " me@host \"quoted\" $(rm -rf)", out PublicKeyLine? key, out _));

        await store.AddAsync(key!, CancellationToken.None);

        Assert.Equal($"restrict {key!.TypeAndKey} me@hostquotedrm-rf", File.ReadAllText(store.Path).TrimEnd('\n'));
    }
}
