namespace McpSsh.Tests.Config;

/// <summary>
/// One config and the hosts to resolve through it. <c>{dir}</c> in the texts is a private temp directory,
/// <c>{rel}</c> a private directory below <c>~/.ssh</c> named relatively (as Include resolves it).
/// </summary>
public sealed record SshConfigOracleCase(string Name, string Config, string[] Hosts, Dictionary<string, string>? Files = null)
{
    public override string ToString() => Name;

    public static IEnumerable<SshConfigOracleCase> All() =>
    [
        new("alias", """
            Host build
              HostName build.internal.example
              Port 2222
              User deploy
            """, ["build", "other"]),
        new("first value wins across blocks", """
            Host build
              Port 1001
            Host build
              Port 1002
              User second
            Host *
              Port 1003
              User third
              ConnectTimeout 4
            """, ["build", "x"]),
        new("host list and wildcards", """
            Host web? db-* *.corp.example
              User ops
            Host web1
              User never
            """, ["web1", "web12", "db-main", "a.corp.example", "corp.example"]),
        new("negated host pattern vetoes", """
            Host * !bastion !*.direct
              ProxyJump bastion
            Host bastion
              HostName 192.0.2.10
            """, ["bastion", "app", "db.direct"]),
        new("host patterns are case sensitive, host names end lower-case", """
            Host UPPER
              HostName MiXeD.Example
            Host upper
              Port 41
            """, ["UPPER", "upper"]),
        new("hostname tokens", """
            Host short-*
              HostName %h.lab.example
            Host pct
              HostName a%%b
            """, ["short-one", "pct"]),
        new("match host sees hostname so far", """
            Host eps
              HostName real-eps
            Match host real-eps
              Port 3333
            Match host eps
              Port 3334
            """, ["eps", "real-eps"]),
        new("match originalhost", """
            Host eps
              HostName real-eps
            Match originalhost eps
              User orig
            """, ["eps", "real-eps"]),
        new("match user uses user so far", """
            Host u1
              User bob
            Match user bob
              Port 2001
            Match !user bob
              Port 2002
            """, ["u1", "u2"]),
        new("match localuser", """
            Match localuser nobody-here-xyz
              Port 3001
            Match localuser *,!nobody-here-xyz
              Port 3002
            """, ["h"]),
        new("match all", """
            Host specific
              Port 11
            Match all
              Port 12
              User everyone
            """, ["specific", "any"]),
        new("match list with negation", """
            Match host a*,!ab*
              Port 21
            """, ["abc", "axe", "b"]),
        new("match exec is not matched", """
            Match exec "false"
              Port 31
            Host *
              Port 32
            """, ["h"]),
        new("match combines criteria", """
            Match host db* user root
              Port 41
            Match host db* !user root
              Port 42
            """, ["db1", "web"]),
        new("include glob sorted, first wins", """
            Include {dir}/conf.d/*.conf
            Host *
              Port 55
            """, ["alpha", "beta", "gamma"], new()
        {
            ["conf.d/20-b.conf"] = "Host alpha beta\n  Port 5002\n  User from-b\n",
            ["conf.d/10-a.conf"] = "Host alpha\n  Port 5001\n",
            ["conf.d/.hidden.conf"] = "Host *\n  User hidden\n",
            ["conf.d/notes.txt"] = "Host *\n  User txt\n",
        }),
        new("include inside a block is conditional", """
            Host inside
              Include {dir}/inner.conf
            Host *
              User tail
            """, ["inside", "outside"], new()
        {
            ["inner.conf"] = "Port 6001\nHostName inner-target\n",
        }),
        new("include restores the block it was in", """
            Host alpha beta
              Include {dir}/inc/*.conf
              User inc
            """, ["alpha", "beta", "zeta"], new()
        {
            ["inc/a.conf"] = "Host alpha\n  Port 1111\nHost beta\n  Port 2222\n",
        }),
        new("nested includes", """
            Include {dir}/one.conf
            """, ["deep", "x"], new()
        {
            ["one.conf"] = "Host deep\n  Include {dir}/two.conf\n  Port 7001\n",
            ["two.conf"] = "User two\nIdentityFile ~/.ssh/two\n",
        }),
        new("include relative to ~/.ssh", """
            Include {rel}/rel.conf
            """, ["r"], new()
        {
            ["{rel}/rel.conf"] = "Host r\n  Port 8001\n",
        }),
        new("several identity files, duplicates dropped", """
            Host k
              IdentityFile ~/.ssh/first
              IdentityFile ~/.ssh/second
              IdentityFile ~/.ssh/first
            Host *
              IdentityFile ~/.ssh/common
            """, ["k", "other"]),
        new("identity and certificate files with tokens", """
            Host t
              IdentityFile ~/.ssh/id_%r@%h:%p
              IdentityFile "/keys/%u %l %d"
              CertificateFile ~/.ssh/id-cert-%h.pub
              CertificateFile /certs/%r.pub
            """, ["t"]),
        new("proxyjump chain", """
            Host target
              ProxyJump jump1,bob@jump2:2200,ssh://carol@jump3:2201
            """, ["target"]),
        new("proxyjump before proxycommand", """
            Host target
              ProxyJump j
              ProxyCommand nc %h %p
            """, ["target"]),
        new("proxycommand before proxyjump, raw", """
            Host target
              ProxyCommand  ssh -W %h:%p "quoted gateway" # kept
              ProxyJump j
            """, ["target"]),
        new("proxy none locks", """
            Host p1
              ProxyJump none
            Host p2
              ProxyCommand none
            Host *
              ProxyJump later
            """, ["p1", "p2", "p3"]),
        new("proxyjump none does not lock proxycommand", """
            Host p1
              ProxyJump none
              ProxyCommand nc %h %p
            Host p2
              ProxyJump none
              ProxyJump later
              ProxyCommand nc x
            Host p3
              ProxyCommand none
              ProxyJump j
            """, ["p1", "p2", "p3"]),
        new("user known hosts with tokens", """
            Host kh
              HostName Kh.Example
              Port 2022
              User kuser
              UserKnownHostsFile ~/.ssh/kh_%h_%p_%r /tmp/kh_%u_%d_%n %%lit
            """, ["kh"]),
        new("known hosts files and none", """
            Host n
              UserKnownHostsFile none
              GlobalKnownHostsFile /etc/g1 ~/g2
            Host *
              UserKnownHostsFile ~/later
            """, ["n", "m"]),
        new("strict host key checking values", """
            Host s1
              StrictHostKeyChecking off
            Host s2
              StrictHostKeyChecking accept-new
            Host s3
              StrictHostKeyChecking ask
            Host s4
              StrictHostKeyChecking YES
            Host s5
              StrictHostKeyChecking no
            """, ["s1", "s2", "s3", "s4", "s5"]),
        new("yes/no flags and alias", """
            Host f
              HashKnownHosts yes
              IdentitiesOnly yes
              HostKeyAlias pinned-name
            Host *
              HashKnownHosts no
              IdentitiesOnly no
            """, ["f", "g"]),
        new("time formats", """
            Host t1
              ConnectTimeout none
              ConnectTimeout 1m30s
              ServerAliveInterval 1m
              ServerAliveCountMax 7
            Host t2
              ServerAliveInterval 45
              ConnectTimeout 2h
            """, ["t1", "t2"]),
        new("keyword forms and quoting", """
            HOST q1
              port=4401
              User = "quoted user"
            Host "q2"
              HostName='single q'
              Port  =  4402
            """, ["q1", "q2"]),
        new("identity agent", """
            Host a1
              IdentityAgent ~/agent.%h.%r.sock
            Host a2
              IdentityAgent none
            """, ["a1", "a2"]),
        new("comments and blank lines", """
            # a comment

               # indented comment
            Host c1   # trailing comment on Host
              Port 9101 # trailing comment
              User   spaced
            """, ["c1"]),
        new("match after user set later", """
            Match user late
              Port 9201
            Host h1
              User late
            Match user late
              Port 9202
            """, ["h1"]),
    ];
}
