using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MemberCare.Migrations.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Signature = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Concern = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    WindowStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TippingMessageId = table.Column<long>(type: "bigint", nullable: false),
                    TippedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    Expected = table.Column<double>(type: "double precision", nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeAlerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SpikeBaselines",
                columns: table => new
                {
                    Signature = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Concern = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Mean = table.Column<double>(type: "double precision", nullable: false),
                    BucketStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    BucketCount = table.Column<int>(type: "integer", nullable: false),
                    PreviousBucketCount = table.Column<int>(type: "integer", nullable: false),
                    DismissedLevel = table.Column<int>(type: "integer", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeBaselines", x => x.Signature);
                });

            migrationBuilder.CreateTable(
                name: "SpikeCursors",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    LastMessageId = table.Column<long>(type: "bigint", nullable: false),
                    ObservedSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastPrunedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeCursors", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SpikeHits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Signature = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    MessageId = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    AlertId = table.Column<long>(type: "bigint", nullable: false),
                    MessageId = table.Column<long>(type: "bigint", nullable: false)
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
