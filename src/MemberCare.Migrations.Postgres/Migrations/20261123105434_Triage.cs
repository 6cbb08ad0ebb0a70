using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MemberCare.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Triage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Concern",
                table: "Messages",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ConcernConfidence",
                table: "Messages",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Department",
                table: "Messages",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Entities",
                table: "Messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "Messages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Sentiment",
                table: "Messages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TriageModelVersion",
                table: "Messages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "TriagedAt",
                table: "Messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Urgency",
                table: "Messages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TriageCorrections",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageId = table.Column<long>(type: "bigint", nullable: false),
                    Concern = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Sentiment = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    PreviousConcern = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    PreviousSentiment = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    PreviousLanguage = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    CorrectedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CorrectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageCorrections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TriageCorrections_Messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "Messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_AwaitingTriage",
                table: "Messages",
                column: "Id",
                filter: "\"TriagedAt\" IS NULL AND \"Direction\" = 'Inbound'");

            migrationBuilder.CreateIndex(
                name: "IX_TriageCorrections_CorrectedAt_Id",
                table: "TriageCorrections",
                columns: new[] { "CorrectedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_TriageCorrections_MessageId",
                table: "TriageCorrections",
                column: "MessageId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TriageCorrections");

            migrationBuilder.DropIndex(
                name: "IX_Messages_AwaitingTriage",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Concern",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ConcernConfidence",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Department",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Entities",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Language",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Sentiment",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "TriageModelVersion",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "TriagedAt",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Urgency",
                table: "Messages");
        }
    }
}
