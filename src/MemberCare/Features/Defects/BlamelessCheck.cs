using System.Text.RegularExpressions;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Defects;

/// <summary>
/// Root causes name processes, not people: a cause that names someone from the staff directory gets a warning,
/// because a lesson that blames a person teaches everyone else to hide mistakes.
/// </summary>
public sealed class BlamelessCheck(IDbContextFactory<MemberCareDb> dbFactory)
{
    public async Task<IReadOnlyList<BlamelessWarning>> WarningsAsync(IEnumerable<string> causes, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Users.AsNoTracking().Select(u => u.DisplayName).ToListAsync(ct);
        return Warnings(causes, names);
    }

    public static IReadOnlyList<BlamelessWarning> Warnings(IEnumerable<string> causes, IEnumerable<string> staffNames)
    {
        var words = staffNames
            .SelectMany(n => n.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(w => w.Length >= 3 && char.IsLetter(w[0]))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var warnings = new List<BlamelessWarning>();
        var step = 0;
        foreach (var cause in causes)
        {
            step++;
            foreach (var word in words)
            {
                if (Regex.IsMatch(cause, $@"(?<!\p{{L}}){Regex.Escape(word)}(?!\p{{L}})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                {
                    warnings.Add(new BlamelessWarning(step, word,
                        $"Why {step} names '{word}', a colleague. Describe what in the process let the mistake through instead of who made it."));
                }
            }
        }
        return warnings;
    }
}
