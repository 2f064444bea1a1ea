using McpSsh.Cli;
using McpSsh.Cli.Commands;
using McpSsh.Platform;
using McpSsh.Ssh.Agent;
using McpSsh.Ssh.Config;

namespace McpSsh.Tests.Platform;

/// <summary>
/// The client's paths on the desktops it ships for, run here on Linux through an injected <see cref="HostEnvironment"/>:
/// the default key, known_hosts, ssh's config files, ssh's default identities and the agent.
/// </summary>
public class ClientPathsTests
{
    private static readonly HostEnvironment s_windows = HostEnvironment.For(OsFamily.Windows, new Dictionary<string, string>
    {
        ["USERPROFILE"] = @"C:\Users\ann",
        ["HOME"] = "/c/Users/ann-from-git-bash",
        ["ProgramData"] = @"D:\ProgramData",
    });

    private static readonly HostEnvironment s_macOS = HostEnvironment.For(OsFamily.MacOS, new Dictionary<string, string>
    {
        ["HOME"] = "/Users/ann",
        ["SSH_AUTH_SOCK"] = "/private/tmp/com.apple.launchd.x/Listeners",
    });

    private static ClientSettings Parse(HostEnvironment host, params string[] args)
    {
        var parse = ClientCommand.Create((_, _) => Task.FromResult(0)).Parse(args);
        Assert.Empty(parse.Errors);
        return ClientSettings.From(parse, host);
    }

    [Fact]
    public void Windows_DefaultKeyAndKnownHosts_AreInUserProfileSsh_AndTheAgentIsOpenSshsPipe()
    {
        ClientSettings s = Parse(s_windows);

        Assert.Equal(@"C:\Users\ann\.ssh\m2m_mcp_server_ssh_client", s.Ssh.PrivateKeyPath);
        Assert.Equal(@"C:\Users\ann\.ssh\known_hosts", s.Ssh.KnownHostsPath);
        Assert.True(s.GenerateMissingKey);
        Assert.Equal(AgentTransport.WindowsDefaultPipe, s.Ssh.AgentPath);
    }

    [Fact]
    public void Windows_TildeInFlags_ExpandsToUserProfileWithBackslashes()
    {
        ClientSettings s = Parse(s_windows, "--client-key", "~/keys/id_ed25519", "--known-hosts", @"~\kh", "--no-ssh-config");

        Assert.Equal(@"C:\Users\ann\keys\id_ed25519", s.Ssh.PrivateKeyPath);
        Assert.Equal(@"C:\Users\ann\kh", s.Ssh.KnownHostsPath);
        Assert.False(s.GenerateMissingKey);
        Assert.Equal(@"C:\Users\ann", PathExpansion.Expand("~", s_windows));
        Assert.Equal(@"E:\keys\id", PathExpansion.Expand(@"E:\keys\id", s_windows));
    }

    [Fact]
    public void Windows_SshConfigFiles_AreUserProfileAndProgramData()
    {
        IReadOnlyList<SshConfigFile> files = SshConfigFile.Defaults(s_windows);

        Assert.Equal([@"C:\Users\ann\.ssh\config", @"D:\ProgramData\ssh\ssh_config"], files.Select(f => f.Path));
        Assert.Equal([@"C:\Users\ann\.ssh", @"D:\ProgramData\ssh"], files.Select(f => f.IncludeDirectory));
        Assert.Equal(@"C:\Users\ann\.ssh", Assert.Single(SshConfigFile.Only(@"C:\cfg", s_windows)).IncludeDirectory);
    }

    [Fact]
    public void Windows_JumpHostDefaults_AreSshsIdentitiesAndKnownHostsInUserProfile()
    {
        var config = ClientSshConfig.Create(null, disabled: true, s_windows);

        Assert.Equal([@"C:\Users\ann\.ssh\id_rsa", @"C:\Users\ann\.ssh\id_ecdsa", @"C:\Users\ann\.ssh\id_ed25519"], config.DefaultIdentityFiles);
        Assert.Equal(@"C:\Users\ann\.ssh\known_hosts", config.DefaultKnownHosts);
    }

    [Fact]
    public void MacOS_PathsAreUnderHome_TheSystemConfigIsEtcSsh_AndTheAgentIsSshAuthSock()
    {
        ClientSettings s = Parse(s_macOS, "--no-ssh-config");

        Assert.Equal("/Users/ann/.ssh/m2m_mcp_server_ssh_client", s.Ssh.PrivateKeyPath);
        Assert.Equal("/Users/ann/.ssh/known_hosts", s.Ssh.KnownHostsPath);
        Assert.Equal("/private/tmp/com.apple.launchd.x/Listeners", s.Ssh.AgentPath);
        Assert.Equal(["/Users/ann/.ssh/config", "/etc/ssh/ssh_config"], SshConfigFile.Defaults(s_macOS).Select(f => f.Path));
        Assert.Equal(["/Users/ann/.ssh/id_rsa", "/Users/ann/.ssh/id_ecdsa", "/Users/ann/.ssh/id_ed25519"],
            ClientSshConfig.Create(null, disabled: true, s_macOS).DefaultIdentityFiles);
    }

    [Fact]
    public void Linux_CurrentEnvironment_KeepsTheHomeOfTheProcess()
    {
        ClientSettings s = ClientSettings.From(ClientCommand.Create((_, _) => Task.FromResult(0)).Parse(["--no-ssh-config"]), _ => null);

        Assert.Equal(Path.Join(HostEnvironment.Current.Home, ".ssh", "m2m_mcp_server_ssh_client"), s.Ssh.PrivateKeyPath);
        Assert.Equal(Path.Join(HostEnvironment.Current.Home, ".ssh", "known_hosts"), s.Ssh.KnownHostsPath);
    }
}
