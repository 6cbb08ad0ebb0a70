using MemberCare.Domain.Conversations;
using MemberCare.Domain.Defects;
using MemberCare.Domain.Orders;

namespace MemberCare.Features.Demo;

/// <summary>A few defects of the demo shop in different states, two of them closed with their lessons.</summary>
public static class DemoDefects
{
    public static List<Defect> Create(IReadOnlyList<Conversation> conversations, IReadOnlyList<Order> orders, DateTimeOffset now)
    {
        var watch = TimeSpan.FromDays(14);
        Conversation At(int index) => conversations[index % conversations.Count];
        void Link(Defect defect, DateTimeOffset at, params int[] indexes)
        {
            foreach (var i in indexes)
            {
                var c = At(i);
                defect.LinkConversation(c.Id, c.CustomerId, c.CreatedAt < at ? c.CreatedAt : at.AddHours(-6), at);
                if (orders.FirstOrDefault(o => o.Number == c.OrderNumber) is { } order)
                {
                    defect.LinkOrder(order.Id, order.Number, at);
                    foreach (var line in order.Lines)
                    {
                        defect.LinkSku(line.Sku, at);
                    }
                }
            }
        }

        var wrongSize = Defect.Open("Wrong size picked from a shared bin", DefectCategory.PickOrPackError, DefectSeverity.High,
            "wrong_or_missing_item|warehouse:oslo", "Demo lead", null, now.AddDays(-20));
        Link(wrongSize, now.AddDays(-20), 0, 3, 7);
        wrongSize.SetRootCause(["Parcels held the wrong size", "Two sizes shared one bin", "The bin labels were hand-written", "Relabelling had no owner"],
            CauseCategory.Process, now.AddDays(-19));
        wrongSize.AddAction(ActionKind.Corrective, "Give every bin its own scanned label", null, "warehouse", now.AddDays(-15), now.AddDays(-19));
        wrongSize.CompleteAction(0, "Photo of the relabelled aisle", now.AddDays(-16), watch);
        wrongSize.Recoveries.ForEach(r => { r.Plan(Remedy.Reshipment, 79); r.Complete(12, now.AddDays(-18)); });
        wrongSize.Close("Customers received the wrong size of dresses from the Oslo warehouse",
            "Two sizes shared one bin with a hand-written label, and nobody owned relabelling",
            "Every bin has its own scanned label, and packing scans each item against the order", now.AddDays(-2));

        var crushed = Defect.Open("Parcels crushed in transit", DefectCategory.CarrierDamage, DefectSeverity.Medium,
            "damaged_item|carrier:posten", "Demo lead", null, now.AddDays(-9));
        Link(crushed, now.AddDays(-9), 1, 5);
        crushed.SetRootCause(["Boxes arrived crushed", "Thin boxes were used for heavy knitwear"], CauseCategory.Carrier, now.AddDays(-8));
        crushed.AddAction(ActionKind.Preventive, "Use double-walled boxes for parcels over 2 kg", null, "logistics", now.AddDays(-4), now.AddDays(-8));
        crushed.CompleteAction(0, "New box rule in the packing guide", now.AddDays(-5), watch);
        crushed.Recoveries.ForEach(r => { r.Plan(Remedy.Voucher, 200); r.Complete(8, now.AddDays(-7)); });

        var late = Defect.Open("Weekend orders dispatched late", DefectCategory.LateDispatch, DefectSeverity.Medium,
            "where_is_my_order|warehouse:oslo", "Demo lead", null, now.AddDays(-4));
        Link(late, now.AddDays(-4), 2, 9);
        late.SetRootCause(["Monday parcels left on Tuesday", "One pick wave on Mondays"], CauseCategory.Process, now.AddDays(-3));
        late.AddAction(ActionKind.Corrective, "Add a second pick wave on Mondays", null, "warehouse", now.AddDays(3), now.AddDays(-3));

        var listing = Defect.Open("Linen trousers listed with the wrong fabric", DefectCategory.ListingError, DefectSeverity.Low,
            "not_as_described|sku:lin-trs-01", "Demo agent", null, now.AddDays(-1));
        Link(listing, now.AddDays(-1), 4);

        return [wrongSize, crushed, late, listing];
    }
}
