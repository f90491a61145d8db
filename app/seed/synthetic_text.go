package seed

import (
	"fmt"
	"strings"
)

// The synthetic texts are composed from small vocabularies so that search
// meets what it meets in real content: words that most items share, words
// that a tenth or a hundredth share, invented company names that a few
// hundred items name, amounts and numbers that few share, in the items'
// own languages with their diacritics and scripts.

// syntheticJobs are twelve jobs, in each language synthetic content is
// written in.
var syntheticJobs = map[string][]string{
	"en": {"truck driver", "warehouse picker", "fruit picker", "welder", "care worker", "hotel cleaner", "construction worker", "cook", "nail technician", "seasonal farm work", "meat factory worker", "bus driver"},
	"fr": {"chauffeur poids lourd", "préparateur de commandes", "cueilleur de fruits", "soudeur", "aide-soignant", "femme de chambre", "ouvrier du bâtiment", "cuisinier", "prothésiste ongulaire", "saisonnier agricole", "ouvrier d'abattoir", "chauffeur de bus"},
	"nl": {"vrachtwagenchauffeur", "orderpicker", "fruitplukker", "lasser", "zorgmedewerker", "schoonmaker hotel", "bouwvakker", "kok", "nagelstyliste", "seizoenswerk landbouw", "vleesverwerker", "buschauffeur"},
	"es": {"conductor de camión", "mozo de almacén", "recolector de fruta", "soldador", "cuidador de ancianos", "camarera de piso", "peón de obra", "cocinero", "manicurista", "temporero agrícola", "operario cárnico", "conductor de autobús"},
	"ro": {"șofer de camion", "lucrător în depozit", "culegător de fructe", "sudor", "îngrijitor de bătrâni", "cameristă la hotel", "muncitor în construcții", "bucătar", "manichiuristă", "muncă sezonieră agricolă", "lucrător în abator", "șofer de autobuz"},
	"uk": {"водій вантажівки", "комплектувальник на складі", "збирач фруктів", "зварювальник", "доглядальниця", "покоївка в готелі", "будівельник", "кухар", "майстер манікюру", "сезонна робота на фермі", "робітник м'ясокомбінату", "водій автобуса"},
	"ar": {"سائق شاحنة", "عامل مستودع", "قاطف فواكه", "لحّام", "مقدّم رعاية", "عاملة تنظيف فندق", "عامل بناء", "طبّاخ", "فنّية أظافر", "عمل زراعي موسمي", "عامل مصنع لحوم", "سائق حافلة"},
	"fa": {"راننده کامیون", "کارگر انبار", "میوه\u200cچین", "جوشکار", "مراقب سالمندان", "نظافتچی هتل", "کارگر ساختمانی", "آشپز", "کارشناس ناخن", "کار فصلی کشاورزی", "کارگر کشتارگاه", "راننده اتوبوس"},
	"ru": {"водитель грузовика", "комплектовщик на складе", "сборщик фруктов", "сварщик", "сиделка", "горничная в отеле", "строитель", "повар", "мастер маникюра", "сезонная работа на ферме", "рабочий мясокомбината", "водитель автобуса"},
	"pl": {"kierowca ciężarówki", "magazynier", "zbieracz owoców", "spawacz", "opiekunka osób starszych", "pokojówka w hotelu", "robotnik budowlany", "kucharz", "stylistka paznokci", "praca sezonowa w rolnictwie", "pracownik zakładu mięsnego", "kierowca autobusu"},
	"tr": {"tır şoförü", "depo elemanı", "meyve toplayıcı", "kaynakçı", "yaşlı bakıcısı", "otel temizlikçisi", "inşaat işçisi", "aşçı", "tırnak teknisyeni", "mevsimlik tarım işi", "et fabrikası işçisi", "otobüs şoförü"},
	"pt": {"motorista de camião", "operador de armazém", "apanhador de fruta", "soldador", "cuidador de idosos", "camareira de hotel", "operário da construção", "cozinheiro", "manicure", "trabalho agrícola sazonal", "operário de fábrica de carne", "motorista de autocarro"},
}

// syntheticNameParts compose 20 × 15 × 5 = 1,500 invented company names.
var (
	syntheticNameFirst  = []string{"Euro", "Trans", "Nord", "Baltic", "Atlas", "Star", "Prime", "Global", "Alpha", "Delta", "Orion", "Vega", "Nova", "Polar", "Rhein", "Danube", "Silk", "Amber", "Iron", "Blue"}
	syntheticNameSecond = []string{"Jobs", "Logistik", "Staff", "Work", "Travel", "Visa", "Agro", "Build", "Care", "Line", "Way", "Group", "Service", "Trade", "Express"}
	syntheticNameThird  = []string{"", " Personal", " Recruitment", " Partners", " International"}
)

// syntheticCompany returns the k-th invented company name.
func syntheticCompany(k int) string {
	k %= len(syntheticNameFirst) * len(syntheticNameSecond) * len(syntheticNameThird)
	a := k % len(syntheticNameFirst)
	b := k / len(syntheticNameFirst) % len(syntheticNameSecond)
	c := k / (len(syntheticNameFirst) * len(syntheticNameSecond))
	return syntheticNameFirst[a] + syntheticNameSecond[b] + syntheticNameThird[c]
}

// syntheticFlags are the red flags the texts are made of, three per item.
var syntheticFlags = []string{
	"They asked for a fee of %d euros before the job started.",
	"The recruiter kept my passport for %d days.",
	"The contract was only in a language I cannot read.",
	"They promised a visa in %d days without an interview.",
	"The salary was %d euros a month, far more than usual.",
	"The interview took five minutes on WhatsApp.",
	"They asked me to open a bank account in my name.",
	"The accommodation cost %d euros a week, taken from the wages.",
	"Nobody answered after I paid the deposit.",
	"The office address does not exist.",
	"They said the work permit would be ready on arrival.",
	"We were %d people in one small flat.",
	"The driver took our documents at the border.",
	"They told us to say we were tourists.",
	"The agency changed its name after the complaints.",
	"I had to buy my work clothes from them for %d euros.",
	"They asked for a copy of my identity card and a selfie.",
	"The job was in a different country than promised.",
	"The medical check had to be paid in cash.",
	"They threatened to call the police if I left.",
	"The hours were never counted and overtime was not paid.",
	"The ticket was a debt that grew every week.",
	"The manager wrote only from a private number.",
	"They promised a free flight and then asked for %d euros.",
}

// syntheticText returns item i's three red flags, with amounts and numbers
// drawn from i.
func syntheticText(i int) string {
	out := ""
	for k, step := range []int{1, 7, 13} {
		f := syntheticFlags[(i*step+k*5)%len(syntheticFlags)]
		if n := 50 + (i*31+k*17)%950; strings.Contains(f, "%d") {
			f = fmt.Sprintf(f, n)
		}
		out += "- " + f + "\n"
	}
	return out
}

// syntheticJob returns item i's job in lang, English for a language
// without a vocabulary.
func syntheticJob(lang string, i int) string {
	jobs, ok := syntheticJobs[lang]
	if !ok {
		jobs = syntheticJobs["en"]
	}
	return jobs[i%len(jobs)]
}
