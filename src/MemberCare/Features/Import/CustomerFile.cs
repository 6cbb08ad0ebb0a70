using MemberCare.Domain;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Import;

/// <summary>
/// customers.csv: name,email,phone,instagram,facebook,x,tier. A row that shares an e-mail address or a handle
/// with a known customer updates that customer; a row whose identities belong to two customers is rejected.
/// </summary>
internal static class CustomerFile
{
    public static IReadOnlyList<string> Columns { get; } = ["name", "email", "phone", "instagram", "facebook", "x", "tier"];

    public static IReadOnlyList<string> RequiredColumns { get; } = ["name"];

    private static readonly (string Column, Channel Channel)[] s_identityColumns =
    [
        ("email", Channel.Email), ("phone", Channel.Phone), ("instagram", Channel.Instagram), ("facebook", Channel.Facebook), ("x", Channel.X),
    ];

    private static readonly Dictionary<string, CustomerTier> s_tiers = new(StringComparer.Ordinal)
    {
        ["standard"] = CustomerTier.Standard,
        ["silver"] = CustomerTier.Silver,
        ["gold"] = CustomerTier.Gold,
        ["vip"] = CustomerTier.Vip,
    };

    private sealed record CustomerRow(int Row, string Name, string? Phone, CustomerTier? Tier, IReadOnlyList<(Channel Channel, string Handle, string Column)> Identities);

    public static async Task<ImportOutcome> ImportAsync(MemberCareDb db, CsvSheet sheet, DateTimeOffset now, CancellationToken ct)
    {
        var rejected = sheet.Unreadable.Select(u => new RejectedRow(u.Record.Row, u.Reason)).ToList();
        var rows = new List<CustomerRow>();
        foreach (var record in sheet.Records)
        {
            var check = new RowCheck(sheet, record);
            var row = Parse(db, check);
            if (check.IsValid)
            {
                rows.Add(row);
            }
            else
            {
                rejected.Add(new RejectedRow(record.Row, check.Reason));
            }
        }

        var handles = rows.SelectMany(r => r.Identities.Select(i => i.Handle)).Distinct().ToList();
        var ownerIds = await db.CustomerIdentities.Where(i => handles.Contains(i.Handle)).Select(i => i.CustomerId).Distinct().ToListAsync(ct);
        var known = await db.Customers.Include(c => c.Identities).Where(c => ownerIds.Contains(c.Id)).ToListAsync(ct);
        var owners = new Dictionary<(Channel, string), Customer>();
        var described = new Dictionary<Customer, string>(ReferenceEqualityComparer.Instance);
        foreach (var customer in known)
        {
            described[customer] = $"customer {customer.Id} ({customer.Name})";
            foreach (var identity in customer.Identities)
            {
                owners[(identity.Channel, identity.Handle)] = customer;
            }
        }

        var created = new HashSet<Customer>(ReferenceEqualityComparer.Instance);
        var updated = new HashSet<Customer>(ReferenceEqualityComparer.Instance);
        var accepted = 0;
        foreach (var row in rows)
        {
            var matches = row.Identities
                .Select(i => (i.Column, i.Handle, Customer: owners.GetValueOrDefault((i.Channel, i.Handle))))
                .Where(m => m.Customer is not null)
                .ToList();
            if (matches.Select(m => m.Customer).Distinct(ReferenceEqualityComparer.Instance).Count() > 1)
            {
                var claims = matches.Select(m => $"{m.Column} {m.Handle} belongs to {described[m.Customer!]}");
                rejected.Add(new RejectedRow(row.Row, $"{string.Join(", ", matches.Select(m => m.Column))}: {string.Join(", ", claims)}; one row cannot merge two customers"));
                continue;
            }

            var customer = matches.Select(m => m.Customer).FirstOrDefault();
            if (customer is null)
            {
                customer = Customer.Create(row.Name, row.Identities.Where(i => i.Channel == Channel.Email).Select(i => i.Handle).FirstOrDefault(), now);
                db.Customers.Add(customer);
                described[customer] = $"the customer of row {row.Row}";
                created.Add(customer);
            }
            else
            {
                customer.Rename(row.Name);
                if (!created.Contains(customer))
                {
                    updated.Add(customer);
                }
            }
            foreach (var identity in row.Identities)
            {
                customer.AddIdentity(identity.Channel, identity.Handle);
                owners[(identity.Channel, identity.Handle)] = customer;
            }
            if (row.Phone is not null)
            {
                customer.SetPhone(row.Phone);
            }
            if (row.Tier is { } tier)
            {
                customer.SetTier(tier);
            }
            accepted++;
        }
        await db.SaveChangesAsync(ct);
        return new ImportOutcome(accepted, rejected, $"{ShopImport.Count(created.Count, "new customer")}, {ShopImport.Count(updated.Count, "existing customer")} updated");
    }

    private static CustomerRow Parse(MemberCareDb db, RowCheck check)
    {
        var name = check.Text("name", ShopImport.MaxLength<Customer>(db, nameof(Customer.Name)), required: true);
        var handleLength = ShopImport.MaxLength<CustomerIdentity>(db, nameof(CustomerIdentity.Handle));
        var problemsBefore = check.ProblemCount;
        var identities = new List<(Channel, string, string)>();
        string? phone = null;
        foreach (var (column, channel) in s_identityColumns)
        {
            var value = channel switch
            {
                Channel.Email => check.Email(column, ShopImport.MaxLength<Customer>(db, nameof(Customer.Email))),
                Channel.Phone => phone = check.Text(column, ShopImport.MaxLength<Customer>(db, nameof(Customer.Phone))),
                _ => check.Text(column, handleLength),
            };
            if (CustomerIdentity.NormalizeHandle(channel, value) is { Length: > 0 } handle)
            {
                identities.Add((channel, handle, column));
            }
        }
        if (identities.Count == 0 && check.ProblemCount == problemsBefore)
        {
            check.Problem("email, phone, instagram, facebook, x", "all are empty; a customer needs at least one to be recognised");
        }
        var tier = check.Choice("tier", s_tiers);
        return new CustomerRow(check.Row, name ?? "", phone, tier, identities);
    }
}
