using MemberCare.Domain.Storage;
using MemberCare.Domain.Workspace;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Workspace;

public sealed record MacroView(long Id, string Name, string Language, string Body);

/// <summary>The reply templates agents pick from; the first start adds a few in English and Norwegian.</summary>
public sealed class MacroLibrary(IDbContextFactory<MemberCareDb> dbFactory)
{
    public async Task EnsureDefaultsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Macros.AnyAsync(ct))
        {
            return;
        }
        db.Macros.AddRange(Macro.Defaults());
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<MacroView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Macros.AsNoTracking()
            .OrderBy(m => m.Language).ThenBy(m => m.Name)
            .Select(m => new MacroView(m.Id, m.Name, m.Language, m.Body))
            .ToListAsync(ct);
    }

    /// <summary>The values a macro's placeholders take in one conversation, for one agent.</summary>
    public static Dictionary<string, string?> Values(string customerName, string? orderNumber, string agentName, long conversationId) => new()
    {
        ["customer.first_name"] = Macro.FirstName(customerName),
        ["customer.name"] = customerName,
        ["order.number"] = orderNumber,
        ["agent.first_name"] = Macro.FirstName(agentName),
        ["conversation.id"] = conversationId.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
