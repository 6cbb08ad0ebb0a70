using System.Globalization;
using System.Net.Http.Json;
using MemberCare.Features.Intake;

namespace MemberCare.Bench;

/// <summary>
/// Reads the server's intake stage timing (<c>GET /api/v1/bench/intake-stages</c>, which restarts the count) after a
/// run and prints it: per-message wall time of each stage, batches, messages per batch, process CPU per message and
/// GC. Only with <c>--stages</c>; the figures cover the run's warm-up too.
/// </summary>
internal sealed class StageReport(HttpClient http, Uri endpoint, bool enabled, TextWriter output)
{
    public async Task ResetAsync()
    {
        if (enabled)
        {
            await http.GetFromJsonAsync<IntakeStagesSnapshot>(endpoint);
        }
    }

    public async Task PrintAsync(string run)
    {
        if (!enabled)
        {
            return;
        }
        var s = await http.GetFromJsonAsync<IntakeStagesSnapshot>(endpoint) ?? throw new InvalidOperationException("No stage timing.");
        var seconds = s.ElapsedMs / 1000;
        var perMessage = s.Messages > 0 ? 1.0 / s.Messages : 0;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"  stages, {run}: {seconds:0.0} s, {s.Messages:N0} messages in {s.Batches:N0} batches ({s.Batches / Math.Max(seconds, 0.001):N0} commits/s, " +
            $"{(s.Batches > 0 ? (double)s.Messages / s.Batches : 0):0.0} per batch, largest {s.LargestBatch}); process CPU {s.ProcessCpuMs:N0} ms " +
            $"({(s.Messages > 0 ? s.ProcessCpuMs * 1000 / s.Messages : 0):0} µs per stored message, {s.ProcessCpuMs / Math.Max(s.ElapsedMs, 1):0.00} cores); " +
            $"GC {(s.ServerGc ? "server" : "workstation")}: {s.Collections[0]}/{s.Collections[1]}/{s.Collections[2]} collections (gen 0/1/2), pauses {s.GcPauseMs:N0} ms");
        await output.WriteLineAsync(line);
        if (s.Messages == 0)
        {
            return;
        }
        await output.WriteLineAsync("    stage: µs per message (wall, summed) | per batch mean / max ms");
        foreach (var (name, f) in s.Stages.Where(x => x.Value.Count > 0))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"    {name,-14} {f.TotalMs * 1000 * perMessage,8:0.0} | {f.TotalMs / f.Count,7:0.00} / {f.MaxMs,7:0.0}   (n={f.Count:N0})"));
        }
    }
}
