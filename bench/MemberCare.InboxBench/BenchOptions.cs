using System.Globalization;
using MemberCare.Domain.Storage;

namespace MemberCare.InboxBench;

public sealed record BenchOptions(DatabaseProvider Provider, string? ConnectionString, string DataFolder, int Conversations, int Iterations, int Warmup, bool Reuse)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }
        return new BenchOptions(
            Enum.Parse<DatabaseProvider>(Value("--provider") ?? "sqlite", ignoreCase: true),
            Value("--connection"),
            Value("--data") ?? Path.Combine(Path.GetTempPath(), "membercare-inboxbench"),
            int.Parse(Value("--conversations") ?? "1000000", CultureInfo.InvariantCulture),
            int.Parse(Value("--iterations") ?? "200", CultureInfo.InvariantCulture),
            int.Parse(Value("--warmup") ?? "20", CultureInfo.InvariantCulture),
            args.Contains("--reuse"));
    }
}
