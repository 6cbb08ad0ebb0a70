using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Delivery;
using MemberCare.Domain.Orders;
using MemberCare.Domain.Staff;
using MemberCare.Tests.Support;

namespace MemberCare.Tests.Defects;

/// <summary>Customers, orders and triaged conversations written straight to the test app's database.</summary>
public static class DefectData
{
    public static Dictionary<string, string?> Quiet { get; } = new() { ["Defects:SweepSeconds"] = "3600" };

    public static async Task<long> CustomerAsync(TestApp app, string name, CustomerTier tier, DateTimeOffset at)
    {
        await using var db = await app.OpenDbAsync();
        var customer = Customer.Create(name, $"{Api.Unique(name.Replace(' ', '.').ToLowerInvariant())}@example.com", at);
        customer.SetTier(tier);
        db.Customers.Add(customer);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return customer.Id;
    }

    /// <summary>A person in the staff directory with a fixed id, so actions, owners and lesson readers can name them.</summary>
    public static async Task<string> StaffAsync(TestApp app, string id, string displayName, string? department = null)
    {
        await using var db = await app.OpenDbAsync();
        var user = StaffUser.Create(Api.Unique(id), displayName, null, department, TimeProvider.System.GetUtcNow());
        user.Id = id;
        db.Users.Add(user);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return id;
    }

    /// <summary>An e-mail delivery target for the briefing e-mail.</summary>
    public static async Task<long> EmailTargetAsync(TestApp app)
    {
        await using var db = await app.OpenDbAsync();
        var target = new DeliveryTarget("Care leads", DeliveryKind.Email, "leads@example.com", null);
        db.DeliveryTargets.Add(target);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return target.Id;
    }

    public static async Task<(long OrderId, string Number)> OrderAsync(TestApp app, long customerId, DateTimeOffset placedAt, string sku = "DRS-114",
        string supplier = "Linwear", string warehouse = "Oslo", DateTimeOffset? deliveredAt = null, DateTimeOffset? promisedBy = null)
    {
        await using var db = await app.OpenDbAsync();
        var order = Order.Place(Api.Unique("o"), customerId, "NOK", placedAt);
        order.AddLine(sku, "Linen dress", "M", "Navy", supplier, 1, 899m);
        if (deliveredAt is { } delivered)
        {
            order.Ship("Posten", warehouse, placedAt.AddHours(20), promisedBy);
            order.Deliver(delivered);
        }
        db.Orders.Add(order);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (order.Id, order.Number);
    }

    /// <summary>A conversation whose one inbound message is triaged with the given concern and SKU.</summary>
    public static async Task<(long ConversationId, long MessageId)> ComplaintAsync(TestApp app, long customerId, string text, string concern, string? sku,
        DateTimeOffset at, string? orderNumber = null, TimeSpan? answeredAfter = null)
    {
        await using var db = await app.OpenDbAsync();
        var conversation = Conversation.Start(customerId, Channel.Email, null, text[..Math.Min(text.Length, 40)], at);
        conversation.ReferOrder(orderNumber);
        var message = conversation.ReceiveInbound(Api.Unique("ext"), text, at, null, null, at);
        var skus = sku is null ? "[]" : $"[\"{sku}\"]";
        var triage = new MessageTriage(concern, 0.9, "negative", "en", "normal",
            $"{{\"orderNumbers\":[],\"skus\":{skus},\"sizes\":[],\"colours\":[]}}", "warehouse", "test");
        message.RecordTriage(triage, at);
        conversation.ApplyTriage(triage, newest: true, at);
        if (answeredAfter is { } after)
        {
            conversation.Reply("Agent", "Sorry, we are fixing it.", at + after);
        }
        db.Conversations.Add(conversation);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (conversation.Id, message.Id);
    }
}
