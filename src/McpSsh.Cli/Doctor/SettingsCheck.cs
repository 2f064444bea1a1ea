using System.CommandLine;
using System.Globalization;
using McpSsh.Cli.Commands;
using McpSsh.Ssh;
using McpSsh.Ssh.Config;
using O = McpSsh.Cli.Commands.ClientOptions;

namespace McpSsh.Cli.Doctor;

/// <summary>
/// The first step: each connection setting the client would use and where it came from: a flag, the ssh_config
/// line (FILE:LINE) that set it, or the Python client's default.
/// </summary>
internal static class SettingsCheck
{
    public static DoctorStep Describe(ParseResult parse, ClientSettings settings, Func<string, string?> environment)
    {
        bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
        ResolvedSshConfig config = ClientSshConfig.Create(parse.GetValue(O.SshConfig) is { } file ? PathExpansion.Expand(file) : null,
                parse.GetValue(O.NoSshConfig), PathExpansion.Home, environment)
            .Resolve(parse.GetValue(O.Host)!, Given(O.Username) ? parse.GetValue(O.Username) : null, Given(O.Port) ? parse.GetValue(O.Port) : null);
        string Source(Option flag, string keyword) =>
            Given(flag) && keyword != "hostname" ? $"flag {flag.Name}"
            : config.Sources.TryGetValue(keyword, out string? at) ? $"ssh_config {at}"
            : Given(flag) ? $"flag {flag.Name}"
            : "default";

        SshConnectOptions ssh = settings.Ssh;
        string policy = ssh.HostKeyPolicy switch
        {
            HostKeyPolicy.Disabled => "disabled",
            HostKeyPolicy.AcceptNew => "accept-new",
            _ => "strict",
        };
        string policySource = Given(O.DisableHostKeyChecking) ? "flag --disable-host-key-checking"
            : Given(O.AcceptNew) ? "flag --accept-new"
            : Given(O.UseKeyServer) ? "flag --use-key-server"
            : config.Sources.TryGetValue("stricthostkeychecking", out string? s) ? $"ssh_config {s}" : "default";
        List<DoctorFact> facts =
        [
            new("host", ssh.Host, Source(O.Host, "hostname")),
            new("port", ssh.Port.ToString(CultureInfo.InvariantCulture), Source(O.Port, "port")),
            new("user", ssh.Username, Source(O.Username, "user")),
            new("identity", string.Join(", ", ssh.IdentityFiles), Source(O.ClientKey, "identityfile")),
            new("agent", ssh.AgentPath ?? "none", config.Sources.TryGetValue("identityagent", out string? a) ? $"ssh_config {a}" : ssh.AgentPath is null ? "default" : "SSH_AUTH_SOCK"),
            new("known_hosts", string.Join(", ", [ssh.KnownHostsPath, .. ssh.ReadOnlyKnownHostsPaths]), Source(O.KnownHosts, "userknownhostsfile")),
            new("host_key_checking", policy, policySource),
            new("connect_timeout", $"{ssh.ConnectTimeout.TotalSeconds:0.#} s", Source(O.ConnectTimeout, "connecttimeout")),
            new("channel", ssh.RemoteCommand is { } command ? $"exec: {command}" : "shell (no pty)", Given(O.RemoteCommand) ? "flag --remote-command" : "default"),
        ];
        if (ssh.JumpHosts.Count > 0)
        {
            facts.Add(new("jump", string.Join(", ", ssh.JumpHosts.Select(h => h.Endpoint)), Given(O.Jump) ? "flag --jump" : Source(O.Jump, "proxyjump")));
        }

        if (ssh.ProxyCommand is { } proxy)
        {
            facts.Add(new("proxy_command", proxy, Source(O.Jump, "proxycommand")));
        }

        DoctorStatus status = settings.Warnings.Count > 0 || settings.OpenSsh is not null || settings.UseKeyServer ? DoctorStatus.Warning : DoctorStatus.Ok;
        List<string> notes = [.. settings.Warnings];
        if (settings.OpenSsh is not null)
        {
            notes.Add("--ssh-command is not diagnosed: the steps below use the built-in SSH transport with the same settings");
        }

        if (settings.UseKeyServer)
        {
            notes.Add("--use-key-server: the key exchange is not repeated here; the host key already pinned in known_hosts is checked");
        }

        return new DoctorStep("settings", status, null, $"{ssh.Username}@{ssh.Endpoint}" + (notes.Count > 0 ? "; " + string.Join("; ", notes) : ""))
        {
            Facts = facts,
        };
    }
}
