package domain

// Category is one entry of the topic taxonomy: what a topic is about, in
// terms that hold across negotiations, so that one negotiation's prisoner
// exchange compares with another's.
type Category struct {
	Key         string `json:"key"`
	Label       string `json:"label"`
	Description string `json:"description"`
}

// Categories is the fixed taxonomy of what peace and multilateral
// agreements deal with. Its peace-process entries follow the subjects the
// PA-X Peace Agreements Database codes agreements by (ceasefire, prisoner
// release, withdrawal of forces, humanitarian issues, children, refugees
// and displaced persons, sanctions, security guarantees, territory,
// power sharing and governance, elections, transitional justice,
// reconstruction, wealth sharing); its multilateral entries follow the
// standing items of the UNFCCC negotiating agenda (mitigation, adaptation,
// loss and damage, finance, technology and capacity-building,
// transparency, cooperative approaches under Article 6). Keys are stable:
// stored topics refer to them.
var Categories = []Category{
	{"ceasefire", "Ceasefire", "Ending or pausing hostilities: truces, ceasefires, their duration, conditions, monitoring and violations."},
	{"prisoners_detainees", "Prisoners and detainees", "Exchange or release of prisoners of war, detainees, hostages and political prisoners; the return of remains."},
	{"withdrawal", "Withdrawal of forces", "Pull-back, redeployment or withdrawal of armed forces and foreign troops; buffer zones and lines of separation."},
	{"humanitarian_access", "Humanitarian access", "Aid deliveries, crossings, corridors and the protection of civilians and aid workers."},
	{"children", "Children", "Children affected by conflict: return of deported or separated children, recruitment, protection and education."},
	{"displaced_persons", "Refugees and displaced persons", "Return, resettlement, property and rights of refugees and internally displaced persons."},
	{"sanctions", "Sanctions", "Imposing, easing or lifting sanctions and other economic or diplomatic measures of pressure."},
	{"security_guarantees", "Security guarantees", "Guarantees by third parties, peacekeeping or monitoring missions, alliances, neutrality and non-aggression."},
	{"disarmament", "Disarmament and armed groups", "Disarmament, demobilisation and reintegration; weapons limits; the status of armed groups and militias."},
	{"territory", "Territory and borders", "Sovereignty over and status of territory, borders, annexation, and the administration of contested areas."},
	{"governance", "Governance and power sharing", "Who governs: transitional authorities, power sharing, constitutional reform, autonomy and decentralisation."},
	{"elections", "Elections", "Holding, timing, conduct and observation of elections and referendums."},
	{"justice", "Justice and accountability", "Transitional justice, war crimes, amnesties, truth commissions, reparations and human rights."},
	{"reconstruction", "Reconstruction", "Rebuilding infrastructure and the economy after conflict, and who pays for it."},
	{"economy_resources", "Economy and natural resources", "Wealth sharing, trade, energy, natural resources and their revenues."},
	{"talks_process", "Talks and their process", "The negotiation itself: meetings of leaders, formats, venues, mediators, agendas and follow-up."},
	{"implementation", "Implementation and verification", "How an agreement is carried out, monitored, verified and its disputes settled; timelines and phases."},
	{"emissions", "Emissions and mitigation", "Cutting greenhouse-gas emissions: targets, nationally determined contributions, phase-outs and pathways."},
	{"adaptation", "Adaptation", "Adapting to the effects of climate change: the global goal on adaptation, national adaptation plans."},
	{"loss_and_damage", "Loss and damage", "Averting, minimising and addressing loss and damage from climate change, and the funds for it."},
	{"finance", "Finance", "Money pledged, mobilised or owed: climate finance goals, funds, debt, and who contributes and receives."},
	{"technology_capacity", "Technology and capacity-building", "Transfer of technology and building of capacity between parties."},
	{"transparency", "Transparency and reporting", "Reporting, review and the transparency framework for what parties do and provide."},
	{"carbon_markets", "Carbon markets", "Cooperative approaches and carbon markets, including under Article 6 of the Paris Agreement."},
}

// categoryKeys are the keys of Categories, in their order.
var categoryKeys = func() Enum[string] {
	keys := make([]string, len(Categories))
	for i, c := range Categories {
		keys[i] = c.Key
	}
	return enumOf(keys...)
}()

// CategoryKeys lists the keys of Categories, in their order.
func CategoryKeys() Enum[string] { return categoryKeys }

// CategoryByKey returns the category with that key.
func CategoryByKey(key string) (Category, bool) {
	for _, c := range Categories {
		if c.Key == key {
			return c, true
		}
	}
	return Category{}, false
}

// CategoryLabel is the label of a category key, the key itself if unknown
// and "" for none.
func CategoryLabel(key string) string {
	if c, ok := CategoryByKey(key); ok {
		return c.Label
	}
	return key
}
