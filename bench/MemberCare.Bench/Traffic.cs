using System.Text.Json;
using System.Text.Json.Serialization;
using MemberCare.Features.Intake;

namespace MemberCare.Bench;

/// <summary>
/// Customer messages as the channels would post them: small JSON bodies, each with its own (channel, externalId),
/// from a mix of first-time writers and a pool of returning customers who thread into their open conversations.
/// </summary>
internal sealed class Traffic(string runId, TimeProvider time, int returningCustomers = 2_000, double newCustomerShare = 0.3)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly string[] s_channels = ["email", "instagram", "chat", "facebook", "messenger", "web_form"];
    private static readonly string[] s_firstNames = ["Ingrid", "Mats", "Sofie", "Henrik", "Amalie", "Jonas", "Emma", "Oliver", "Nora", "Lucas", "Maja", "Elias"];
    private static readonly string[] s_lastNames = ["Hansen", "Johansen", "Olsen", "Larsen", "Berg", "Haugen", "Smith", "Brown", "Dahl", "Lie", "Moen", "Bakken"];

    private static readonly string[] s_texts =
    [
        "Hi! I ordered the wool coat in size M but received size S. Can you send the right size, and how do I return this one?",
        "Hei! Pakken min har ikke kommet ennå, sporingen har stått stille i fem dager. Kan dere sjekke hva som skjer?",
        "The seam on the left sleeve of my new linen shirt split after the first wash. I followed the care label.",
        "Do you have the merino cardigan in navy? It would be perfect for my daughter's birthday next week.",
        "Jeg ble trukket to ganger for samme bestilling. Kan dere refundere det ene beløpet?",
        "The checkout page keeps spinning after I enter my card details. I tried two browsers.",
        "My parcel arrived with the box crushed and the silk scarf has a tear in it. Photos attached.",
        "Hei, jeg vil bytte kjolen til en størrelse større. Hvordan gjør jeg det?",
        "Is the sale on the leather boots still on? The price in the app differs from the website.",
        "Thanks for the quick help last time! One more question: when will the trench coat be back in stock?",
    ];

    private long _sequence;

    public byte[] Next()
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var returning = Random.Shared.NextDouble() >= newCustomerShare;
        var who = returning ? Random.Shared.Next(returningCustomers) : -1;
        var channel = s_channels[returning ? who % s_channels.Length : (int)(sequence % s_channels.Length)];
        var slug = returning ? $"member{who}" : $"new-{runId}-{sequence}";
        var person = returning ? who : (int)(sequence % 10_000);
        var name = $"{s_firstNames[person % s_firstNames.Length]} {s_lastNames[person / s_firstNames.Length % s_lastNames.Length]}";
        var email = channel == "email" || sequence % 3 == 0 ? $"{slug}@example.no" : null;
        var handle = channel == "email" ? null : channel == "instagram" ? $"@{slug.Replace('-', '_')}" : $"{channel}-{slug}";
        var request = new PostMessageRequest(
            Channel: channel,
            ExternalId: $"{runId}-{sequence}",
            Customer: new PostMessageCustomer(name, email, handle),
            Text: s_texts[sequence % s_texts.Length],
            SentAt: time.GetUtcNow(),
            OrderNumber: sequence % 4 == 0 ? $"MC-{100_000 + (sequence % 90_000)}" : null,
            ThreadKey: null,
            Subject: channel == "email" ? "About my order" : null);
        return JsonSerializer.SerializeToUtf8Bytes(request, s_json);
    }
}
