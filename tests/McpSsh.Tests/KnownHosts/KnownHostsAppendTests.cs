using System.Diagnostics;
using McpSsh.Ssh.KnownHosts;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.KnownHosts;

/// <summary>known_hosts appends: through a symlink to its target, and under a lock that other processes respect.</summary>
public class KnownHostsAppendTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string HostLine(int i) => $"[127.0.0.1]:{10000 + i} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{i:D8}";

    [Fact]
    public void SymlinkedKnownHosts_StaysASymlink_AndTheTargetGetsTheLine()
    {
        string realDir = Directory.CreateDirectory(_dir.File("dotfiles")).FullName;
        string target = Path.Combine(realDir, "known_hosts");
        File.WriteAllText(target, HostLine(0) + "\n");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string link = _dir.File("known_hosts");
        File.CreateSymbolicLink(link, target);

        KnownHostsFile.Append(link, HostLine(1));

        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal([HostLine(0), HostLine(1)], File.ReadAllLines(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        Assert.Empty(Directory.GetFiles(realDir, "*.tmp"));
    }

    [Fact]
    public async Task ConcurrentAppenders_LoseNoLine()
    {
        string path = _dir.File("known_hosts");
        const int appenders = 64;
        using var start = new Barrier(appenders);
        await Task.WhenAll(Enumerable.Range(0, appenders).Select(i => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            KnownHostsFile.Append(path, HostLine(i));
        }, TaskCreationOptions.LongRunning))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Enumerable.Range(0, appenders).Select(HostLine).Order(), File.ReadAllLines(path).Order());
    }

    [Fact]
    public void ALockHeldByAnotherProcess_IsWaitedFor_AndItsLineIsKept()
    {
        string path = _dir.File("known_hosts");
        File.WriteAllText(path, HostLine(0) + "\n");

        // Another appender (flock(1) in its own process) holds the lock: it has read the file and will write it back
        // with its line once told to; an append that ignored the lock would be overwritten and lost.
        var start = new ProcessStartInfo("flock") { RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { path + ".lock", "sh", "-c", $"snapshot=$(cat '{path}'); echo held; read go; printf '%s\\n%s\\n' \"$snapshot\" '{HostLine(1)}' > '{path}.other' && mv '{path}.other' '{path}'" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process holder = Process.Start(start)!;
        try
        {
            Assert.Equal("held", holder.StandardOutput.ReadLine());

            var busy = Assert.Throws<IOException>(() => KnownHostsFile.Append(path, HostLine(2), TimeSpan.FromMilliseconds(300)));
            Assert.Contains(path + ".lock", busy.Message);
            Assert.Equal([HostLine(0)], File.ReadAllLines(path));

            holder.StandardInput.WriteLine("go");
            holder.StandardInput.Close();
            Assert.True(holder.WaitForExit(30_000));
            Assert.Equal(0, holder.ExitCode);

            KnownHostsFile.Append(path, HostLine(2), TimeSpan.FromSeconds(10));
            Assert.Equal([HostLine(0), HostLine(1), HostLine(2)], File.ReadAllLines(path));
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill();
                holder.WaitForExit(10_000);
            }
        }
    }

    [Fact]
    public void TheSameLineTwice_IsWrittenOnce()
    {
        // Two clients accepting the same new host at once: the second finds the line under the lock.
        string path = _dir.File("known_hosts");
        KnownHostsFile.Append(path, HostLine(1));
        KnownHostsFile.Append(path, HostLine(1));
        Assert.Equal([HostLine(1)], File.ReadAllLines(path));
    }

    [Fact]
    public async Task HashedHostKey_AddedByManyAtOnce_IsWrittenOnceAndHashed()
    {
        string path = _dir.File("known_hosts");
        byte[] blob = Convert.FromBase64String("AAAAC3NzaC1lZDI1NTE5AAAAIGN0ZXN0a2V5Zm9yaGFzaGVkYXBwZW5kc3Rlc3QxMjM0");

        bool[] added = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => KnownHostsFile.AppendHostKey(path, "[build.example]:2222", blob, hashHostName: true))));

        Assert.Equal(1, added.Count(a => a));
        string line = Assert.Single(File.ReadAllLines(path));
        Assert.StartsWith("|1|", line, StringComparison.Ordinal);
        Assert.DoesNotContain("build.example", line, StringComparison.Ordinal);
        Assert.Equal(HostKeyVerdict.Known, KnownHostsFile.Load(path).Check("[build.example]:2222", blob).Verdict);
    }
}
