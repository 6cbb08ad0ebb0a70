namespace MemberCare.Features.Demo;

internal sealed record DemoColour(string Code, string English, string Norwegian);

/// <summary>A product family of the demo shop; a SKU adds colour and size: LIN-SHIRT-WHT-M.</summary>
internal sealed record DemoProduct(string Family, string Name, string Supplier, decimal Price, IReadOnlyList<string> Sizes, IReadOnlyList<DemoColour> Colours)
{
    public string Sku(DemoColour colour, string size) => $"{Family}-{colour.Code}-{size}";
}

internal sealed record DemoAgent(string Id, string Name)
{
    public string FirstName => Name.Split(' ')[0];
}

/// <summary>What the demo shop sells, who supplies it, who ships it and who answers the customers.</summary>
internal static class DemoCatalog
{
    private static readonly DemoColour s_white = new("WHT", "white", "hvit");
    private static readonly DemoColour s_black = new("BLK", "black", "svart");
    private static readonly DemoColour s_navy = new("NVY", "navy", "marineblå");
    private static readonly DemoColour s_sand = new("SND", "sand", "sand");
    private static readonly DemoColour s_camel = new("CML", "camel", "kamel");
    private static readonly DemoColour s_grey = new("GRY", "grey", "grå");
    private static readonly DemoColour s_ecru = new("ECR", "ecru", "offwhite");
    private static readonly DemoColour s_green = new("GRN", "green", "grønn");
    private static readonly DemoColour s_red = new("RED", "red", "rød");
    private static readonly DemoColour s_blue = new("BLU", "mid blue", "blå");
    private static readonly DemoColour s_olive = new("OLV", "olive", "oliven");
    private static readonly DemoColour s_yellow = new("YLW", "yellow", "gul");
    private static readonly DemoColour s_brown = new("BRN", "brown", "brun");

    private static readonly string[] s_letterSizes = ["XS", "S", "M", "L", "XL"];
    private static readonly string[] s_swimSizes = ["XS", "S", "M", "L"];
    private static readonly string[] s_waistSizes = ["25", "26", "27", "28", "29", "30", "31", "32", "33", "34"];
    private static readonly string[] s_shoeSizes = ["36", "37", "38", "39", "40", "41", "42", "43", "44", "45"];

    public const string LinoBaltic = "Lino Baltic UAB";
    public const string LanificioFerro = "Lanificio Ferro S.p.A.";
    public const string Nordstrikk = "Nordstrikk AS";
    public const string AnatoliaDenim = "Anatolia Denim Tekstil";
    public const string PortoShoeWorks = "Porto Shoe Works Lda";
    public const string CostaSwim = "Costa Swim S.L.";
    public const string SaigonGarment = "Saigon Garment Co.";
    public const string VestlandRegn = "Vestland Regntøy AS";

    public static IReadOnlyList<DemoProduct> Products { get; } =
    [
        new("LIN-SHIRT", "Linen Shirt", LinoBaltic, 899m, s_letterSizes, [s_white, s_sand, s_navy]),
        new("LIN-DRESS", "Linen Summer Dress", LinoBaltic, 1099m, s_letterSizes, [s_white, s_sand, s_olive]),
        new("WOOL-COAT", "Wool Coat", LanificioFerro, 3499m, s_letterSizes, [s_camel, s_black, s_grey]),
        new("PLT-TROUSER", "Pleated Wool Trousers", LanificioFerro, 1399m, s_letterSizes, [s_grey, s_black, s_camel]),
        new("WOOL-SCARF", "Wool Scarf", LanificioFerro, 499m, ["OS"], [s_grey, s_camel, s_red]),
        new("KNIT-SWEATER", "Merino Knit Sweater", Nordstrikk, 1299m, s_letterSizes, [s_ecru, s_navy, s_green]),
        new("CABLE-CARDI", "Cable Knit Cardigan", Nordstrikk, 1499m, s_letterSizes, [s_ecru, s_grey, s_brown]),
        new("DNM-JEANS", "Straight Leg Jeans", AnatoliaDenim, 999m, s_waistSizes, [s_blue, s_black]),
        new("DNM-JACKET", "Denim Jacket", AnatoliaDenim, 1199m, s_letterSizes, [s_blue, s_black]),
        new("LTH-SNEAKER", "Leather Sneakers", PortoShoeWorks, 1499m, s_shoeSizes, [s_white, s_black]),
        new("CHL-BOOT", "Chelsea Boots", PortoShoeWorks, 2199m, s_shoeSizes, [s_black, s_brown]),
        new("BIK-TOP", "Bikini Top", CostaSwim, 449m, s_swimSizes, [s_black, s_red, s_green]),
        new("BIK-BTM", "Bikini Bottoms", CostaSwim, 399m, s_swimSizes, [s_black, s_red, s_green]),
        new("SWIM-SUIT", "Swimsuit", CostaSwim, 699m, s_swimSizes, [s_black, s_navy]),
        new("WRAP-DRESS", "Wrap Midi Dress", SaigonGarment, 1199m, s_letterSizes, [s_green, s_red, s_black]),
        new("SILK-BLOUSE", "Silk Blouse", SaigonGarment, 1299m, s_letterSizes, [s_ecru, s_black]),
        new("ORG-TEE", "Organic Cotton Tee", SaigonGarment, 349m, s_letterSizes, [s_white, s_black, s_grey]),
        new("RAIN-JACKET", "Rain Jacket", VestlandRegn, 1799m, s_letterSizes, [s_olive, s_black, s_yellow]),
    ];

    public static IReadOnlyList<string> Carriers { get; } = ["Posten", "Bring", "PostNord", "Helthjem"];

    public static IReadOnlyList<string> Warehouses { get; } = ["Vestby", "Gardermoen"];

    public static IReadOnlyList<DemoAgent> Agents { get; } =
    [
        new("ingrid.solberg", "Ingrid Solberg"),
        new("jonas.berg", "Jonas Berg"),
        new("amira.hassan", "Amira Hassan"),
        new("mats.eide", "Mats Eide"),
        new("sofie.lund", "Sofie Lund"),
    ];

    public static IReadOnlyList<string> NorwegianFirstNames { get; } =
    [
        "Kari", "Ingrid", "Marte", "Silje", "Ida", "Nora", "Emma", "Sofie", "Hanne", "Maria", "Ingeborg", "Thea",
        "Julie", "Camilla", "Tone", "Hilde", "Anne", "Linn", "Astrid", "Frida", "Maja", "Sara", "Vilde", "Ragnhild",
        "Guro", "Solveig", "Live", "Tuva", "Mari", "Kristin", "Åse", "Synnøve", "Marit", "Tiril", "Oda", "Hedda",
        "Ola", "Lars", "Jonas", "Magnus", "Henrik", "Anders", "Erik", "Sindre", "Kristian", "Øyvind", "Håkon", "Even",
        "Sverre", "Torbjørn", "Mats", "Eirik", "Espen", "Trond", "Bjørn", "Kjetil", "Aksel", "Sigurd", "Per", "Ådne",
    ];

    public static IReadOnlyList<string> NorwegianLastNames { get; } =
    [
        "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Karlsen",
        "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen", "Jacobsen", "Dahl",
        "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
        "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen", "Lie", "Aas",
        "Rønning", "Bøe", "Nygård", "Holm", "Vik", "Myhre", "Brekke", "Sæther", "Fjeld", "Lunde", "Tangen", "Løvås",
    ];

    /// <summary>People who shop from Norway and abroad: first and last names that belong together, by origin, with a phone prefix.</summary>
    public static IReadOnlyList<(string Phone, string[] First, string[] Last)> InternationalNames { get; } =
    [
        ("+46", ["Elin", "Oskar", "Maja", "Johan", "Saga", "Linnea"], ["Lindqvist", "Bergström", "Sandberg", "Nyström", "Ekdahl"]),
        ("+45", ["Mette", "Rasmus", "Freja", "Mads", "Signe"], ["Kjær", "Madsen", "Christensen", "Østergaard"]),
        ("+44", ["Emily", "James", "Olivia", "Hannah", "Oliver", "Charlotte", "George"], ["Carter", "Whitfield", "Bennett", "Brooks", "Hughes", "Price"]),
        ("+49", ["Lena", "Jonas", "Anna", "Felix", "Mia"], ["Schneider", "Becker", "Fischer", "Wagner", "Hoffmann"]),
        ("+47", ["Agnieszka", "Piotr", "Katarzyna", "Tomasz", "Magdalena"], ["Kowalska", "Nowak", "Wiśniewska", "Zieliński", "Lewandowski"]),
        ("+47", ["Amina", "Fadumo", "Abdi", "Hodan", "Mohamed"], ["Hassan", "Ali", "Warsame", "Osman", "Farah"]),
        ("+47", ["Ayesha", "Imran", "Sana", "Bilal", "Zara"], ["Khan", "Malik", "Iqbal", "Chaudhry", "Butt"]),
        ("+47", ["Linh", "Minh", "Thu", "Duc"], ["Nguyen", "Tran", "Pham", "Le"]),
        ("+34", ["Lucía", "Carlos", "Sofía", "Javier"], ["Fernández", "Ruiz", "Moreno", "García"]),
        ("+33", ["Camille", "Léa", "Hugo", "Chloé"], ["Laurent", "Dubois", "Moreau", "Lefèvre"]),
        ("+39", ["Giulia", "Marco", "Chiara", "Luca"], ["Rossi", "Bianchi", "Ricci", "Romano"]),
        ("+47", ["Selam", "Filmon", "Helen", "Yonas"], ["Tesfaye", "Haile", "Gebremedhin", "Kidane"]),
        ("+47", ["Rania", "Omar", "Lina", "Yousef"], ["Haddad", "Khalil", "Nasser", "Hamdan"]),
        ("+90", ["Elif", "Emre", "Zeynep", "Can"], ["Yılmaz", "Demir", "Kaya", "Şahin"]),
        ("+31", ["Sanne", "Daan", "Fleur", "Bram"], ["de Vries", "Jansen", "Bakker", "Visser"]),
        ("+358", ["Aino", "Eero", "Venla"], ["Virtanen", "Korhonen", "Mäkinen"]),
        ("+47", ["Priya", "Arjun", "Ananya", "Rahul"], ["Sharma", "Patel", "Iyer", "Reddy"]),
        ("+1", ["Madison", "Tyler", "Ashley", "Ryan"], ["Johnson", "Miller", "Davis", "Thompson"]),
    ];

    /// <summary>Reserved example domains: the demo's addresses can never reach a real person.</summary>
    public static IReadOnlyList<string> EmailDomains { get; } = ["example.com", "example.net", "example.org"];
}
