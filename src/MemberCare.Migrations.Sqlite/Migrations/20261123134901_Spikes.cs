using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MemberCare.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Spikes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SpikeAlerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Concern = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WindowStart = table.Column<long>(type: "INTEGER", nullable: false),
                    TippingMessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    TippedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Expected = table.Column<double>(type: "REAL", nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeAlerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SpikeBaselines",
                columns: table => new
                {
                    Signature = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Concern = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Mean = table.Column<double>(type: "REAL", nullable: false),
                    BucketStart = table.Column<long>(type: "INTEGER", nullable: false),
                    BucketCount = table.Column<int>(type: "INTEGER", nullable: false),
                    PreviousBucketCount = table.Column<int>(type: "INTEGER", nullable: false),
                    DismissedLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeBaselines", x => x.Signature);
                });

            migrationBuilder.CreateTable(
                name: "SpikeCursors",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    LastMessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    ObservedSince = table.Column<long>(type: "INTEGER", nullable: true),
                    LastPrunedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeCursors", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SpikeHits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    MessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeHits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SpikeHits_Messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "Messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SpikeAlertMessages",
                columns: table => new
                {
                    AlertId = table.Column<long>(type: "INTEGER", nullable: false),
                    MessageId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeAlertMessages", x => new { x.AlertId, x.MessageId });
                    table.ForeignKey(
                        name: "FK_SpikeAlertMessages_Messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "Messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SpikeAlertMessages_SpikeAlerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "SpikeAlerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "SpikeCursors",
                columns: new[] { "Id", "LastMessageId", "LastPrunedAt", "ObservedSince" },
                values: new object[] { 1, 0L, null, null });

            migrationBuilder.CreateIndex(
                name: "IX_SpikeAlertMessages_MessageId",
                table: "SpikeAlertMessages",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_SpikeAlerts_Signature_WindowStart",
                table: "SpikeAlerts",
                columns: new[] { "Signature", "WindowStart" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SpikeAlerts_Status_RaisedAt",
                table: "SpikeAlerts",
                columns: new[] { "Status", "RaisedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SpikeBaselines_LastSeenAt",
                table: "SpikeBaselines",
                column: "LastSeenAt");

            migrationBuilder.CreateIndex(
                name: "IX_SpikeHits_At",
                table: "SpikeHits",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_SpikeHits_MessageId",
                table: "SpikeHits",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_SpikeHits_Signature_At",
                table: "SpikeHits",
                columns: new[] { "Signature", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SpikeAlertMessages");

            migrationBuilder.DropTable(
                name: "SpikeBaselines");

            migrationBuilder.DropTable(
                name: "SpikeCursors");

            migrationBuilder.DropTable(
                name: "SpikeHits");

            migrationBuilder.DropTable(
                name: "SpikeAlerts");
        }
    }
}
