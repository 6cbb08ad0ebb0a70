using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MemberCare.Tests.Support;

/// <summary>Runs the command-line tools of the throwaway servers (PostgreSQL, Dovecot), as another account when the tests run as root.</summary>
public static class ExternalTool
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    public static bool AsRoot => Environment.UserName == "root";

    /// <summary>Runs the tool to its end and returns its exit code and output; <paramref name="asUser"/> runs it through runuser.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IReadOnlyList<string> arguments, string? asUser, CancellationToken ct)
    {
        using var process = Process.Start(StartInfo(tool, arguments, asUser, redirect: true))
            ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{Path.GetFileName(tool)} did not finish within {s_timeout.TotalSeconds} s.");
        }
        return (process.ExitCode, $"{(await stdout).Trim()} {(await stderr).Trim()}".Trim());
    }

    /// <summary>Starts a long-running server in the foreground, its output not read (it logs to its own file).</summary>
    public static Process Start(string tool, IReadOnlyList<string> arguments, string? asUser) =>
        Process.Start(StartInfo(tool, arguments, asUser, redirect: false)) ?? throw new InvalidOperationException($"Could not start {tool}.");

    private static ProcessStartInfo StartInfo(string tool, IReadOnlyList<string> arguments, string? asUser, bool redirect)
    {
        var start = new ProcessStartInfo(asUser is null ? tool : "runuser")
        {
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
            UseShellExecute = false,
        };
        if (asUser is not null)
        {
            foreach (var prefix in new[] { "-u", asUser, "--", tool })
            {
                start.ArgumentList.Add(prefix);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The temp folder's own cleanup takes whatever is left.
        }
    }
}
