using System.Globalization;
using System.Net.Sockets;
using MemberCare.Tests.Support;

[assembly: AssemblyFixture(typeof(DovecotServer))]

namespace MemberCare.Tests.Support;

/// <summary>A mailbox on the throwaway IMAP server: plain-text login on loopback, no TLS.</summary>
public sealed record ImapAccount(string Host, int Port, string User, string Password)
{
    /// <summary>The settings that point the app's IMAP poller at this mailbox (the poller itself off unless asked).</summary>
    public Dictionary<string, string?> Settings(bool pollerEnabled = false) => new()
    {
        ["Email:Imap:Enabled"] = pollerEnabled ? "true" : "false",
        ["Email:Imap:Host"] = Host,
        ["Email:Imap:Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Email:Imap:Security"] = "None",
        ["Email:Imap:User"] = User,
        ["Email:Imap:Password"] = Password,
    };
}

/// <summary>
/// A throwaway Dovecot IMAP server for the test run: a config, a passwd-file and maildirs in a temp folder, the
/// server on a free loopback port, stopped and deleted when the run ends. It starts on the first request for a
/// mailbox; each test gets a user of its own. Without Dovecot the tests that need it skip, unless
/// MEMBERCARE_REQUIRE_IMAP=1 (as in CI) turns that into a failure.
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    public const string RequireVariable = "MEMBERCARE_REQUIRE_IMAP";

    private const string Binary = "/usr/sbin/dovecot";
    private const string Doveadm = "/usr/bin/doveadm";

    private readonly StartOnce<Server> _server = new("An IMAP server (Dovecot)", RequireVariable, StartAsync);
    private int _accounts;

    /// <summary>Adds a user with an empty INBOX; skips (or fails, when required) without Dovecot.</summary>
    public async Task<ImapAccount> CreateAccountAsync(CancellationToken ct)
    {
        var server = await _server.StartedAsync(ct);
        var user = $"care{Interlocked.Increment(ref _accounts)}.{Guid.NewGuid().ToString("N")[..8]}@shop.test";
        var password = Guid.NewGuid().ToString("N");
        // Dovecot re-reads the passwd-file when its size or time changes.
        await _server.SerializedAsync(() => File.AppendAllTextAsync(server.PasswdFile, $"{user}:{{PLAIN}}{password}\n", ct), ct);
        return new ImapAccount("127.0.0.1", server.Port, user, password);
    }

    /// <summary>Gives the folder a new UIDVALIDITY, as a server does when it rebuilds its index: every UID the client knew is void.</summary>
    public async Task ChangeUidValidityAsync(ImapAccount account, string folder, uint uidValidity, CancellationToken ct)
    {
        var server = _server.Server ?? throw new InvalidOperationException("The IMAP server has not started.");
        var update = await ExternalTool.RunAsync(Doveadm,
            ["-c", server.ConfigFile, "mailbox", "update", "-u", account.User, "--uid-validity", uidValidity.ToString(CultureInfo.InvariantCulture), folder],
            server.RunAs, ct);
        Assert.True(update.ExitCode == 0, $"doveadm mailbox update failed ({update.ExitCode}): {update.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server.Server is { } server)
        {
            await StopAsync(server.Process, server.ConfigFile, server.RunAs);
            ExternalTool.TryDelete(server.Folder);
        }
        _server.Dispose();
    }


    private static async Task<(Server? Server, string? Unavailable)> StartAsync(CancellationToken ct)
    {
        if (!File.Exists(Binary) || !File.Exists(Doveadm))
        {
            return (null, $"no {Binary} and {Doveadm} (install the Debian package 'dovecot-imapd').");
        }
        var folder = Path.Combine(Path.GetTempPath(), $"membercare-imap-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(folder);
        try
        {
            // Dovecot refuses mail access as root; as root the whole server runs as 'nobody' instead.
            var runAs = ExternalTool.AsRoot ? "nobody" : null;
            var account = await AccountAsync(runAs, ct);
            if (account is null)
            {
                ExternalTool.TryDelete(folder);
                return (null, "could not read the account ids with 'id'.");
            }
            var passwd = Path.Combine(folder, "passwd");
            await File.WriteAllTextAsync(passwd, "", ct);
            foreach (var sub in new[] { "run", "state", "mail" })
            {
                Directory.CreateDirectory(Path.Combine(folder, sub));
            }
            if (runAs is not null)
            {
                var chown = await ExternalTool.RunAsync("chown", ["-R", $"{account.Value.Uid}:{account.Value.Gid}", folder], asUser: null, ct);
                if (chown.ExitCode != 0)
                {
                    ExternalTool.TryDelete(folder);
                    return (null, $"running as root and could not hand {folder} to '{runAs}': {chown.Output}");
                }
            }

            var failures = new List<string>();
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                var port = ExternalTool.FreeLoopbackPort();
                var config = Path.Combine(folder, "dovecot.conf");
                await File.WriteAllTextAsync(config, Config(folder, port, account.Value), ct);
                // In the foreground, so the server is this process's child: a daemon would keep the output pipes open.
                var process = ExternalTool.Start(Binary, ["-F", "-c", config], runAs);
                if (await ListensAsync(process, port, ct))
                {
                    return (new Server(process, folder, config, passwd, port, runAs), null);
                }
                await StopAsync(process, config, runAs);
                failures.Add($"dovecot on port {port} did not start ({(process.HasExited ? process.ExitCode : -1)}): {ReadLog(folder)}");
            }
            ExternalTool.TryDelete(folder);
            return (null, string.Join(" | ", failures));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            ExternalTool.TryDelete(folder);
            return (null, $"could not run dovecot: {ex.Message}");
        }
    }

    private static string Config(string folder, int port, (string User, string Group, string Uid, string Gid) account) => $$"""
        base_dir = {{folder}}/run
        state_dir = {{folder}}/state
        log_path = {{folder}}/dovecot.log
        instance_name = membercare-test-{{port}}
        protocols = imap
        listen = 127.0.0.1
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain login
        auth_failure_delay = 0
        default_internal_user = {{account.User}}
        default_internal_group = {{account.Group}}
        default_login_user = {{account.User}}
        first_valid_uid = 1
        first_valid_gid = 1
        mail_location = maildir:{{folder}}/mail/%u
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u {{folder}}/passwd
        }
        userdb {
          driver = static
          args = uid={{account.Uid}} gid={{account.Gid}} home={{folder}}/mail/%u
        }
        service anvil {
          chroot =
        }
        service imap-login {
          chroot =
          inet_listener imap {
            address = 127.0.0.1
            port = {{port}}
          }
          inet_listener imaps {
            port = 0
          }
        }
        """;

    private static async Task<(string User, string Group, string Uid, string Gid)?> AccountAsync(string? runAs, CancellationToken ct)
    {
        var values = new List<string>();
        foreach (var flag in new[] { "-un", "-gn", "-u", "-g" })
        {
            var id = await ExternalTool.RunAsync("id", runAs is null ? [flag] : [flag, runAs], asUser: null, ct);
            if (id.ExitCode != 0 || id.Output.Length == 0)
            {
                return null;
            }
            values.Add(id.Output);
        }
        return (values[0], values[1], values[2], values[3]);
    }

    private static async Task StopAsync(System.Diagnostics.Process process, string config, string? runAs)
    {
        if (!process.HasExited)
        {
            await ExternalTool.RunAsync(Binary, ["-c", config, "stop"], runAs, CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
    }

    private static async Task<bool> ListensAsync(System.Diagnostics.Process process, int port, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 50 && !process.HasExited; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, ct);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100, ct);
            }
        }
        return false;
    }

    private static string ReadLog(string folder)
    {
        var log = Path.Combine(folder, "dovecot.log");
        return File.Exists(log) ? string.Join(" ", File.ReadLines(log).TakeLast(5)) : "";
    }

    private sealed record Server(System.Diagnostics.Process Process, string Folder, string ConfigFile, string PasswdFile, int Port, string? RunAs);
}
