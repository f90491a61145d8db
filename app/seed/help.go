package seed

import "forewarn/app/model"

// helpEntries are the demo help pages: 112 and fictional contacts only
// (numbers from the ranges the UK and French regulators reserve for
// fiction, example.org websites), never a real service's number, so that
// nobody calls a real line from a demo.
func helpEntries() []model.HelpEntry {
	e := func(key, country, lang, kind, name, desc, phone, web, hours string) model.HelpEntry {
		k := "demo-help-" + key
		return model.HelpEntry{SeedKey: &k, Country: country, Lang: lang, Kind: kind, Name: name, Description: desc, Phone: phone, Website: web, Hours: hours}
	}
	return []model.HelpEntry{
		e("ro-en-1", "RO", "en", "hotline", "Anti-trafficking line (demo)", "Free and confidential advice if you or someone you know is being exploited.", "+447700900100", "https://hotline-ro.example.org", "24/7"),
		e("ro-en-2", "RO", "en", "inspectorate", "Labour inspectorate (demo)", "Report unpaid wages, no contract or unsafe work.", "+447700900102", "https://inspectorate-ro.example.org", "Mon–Fri 8:00–16:00"),
		e("ro-en-3", "RO", "en", "emergency", "Emergency", "Police, ambulance, fire brigade.", "112", "", "24/7"),
		e("ro-ro-1", "RO", "ro", "hotline", "Linia împotriva traficului de persoane (demo)", "Sfaturi gratuite și confidențiale dacă tu sau cineva apropiat este exploatat.", "+447700900100", "https://hotline-ro.example.org", "Non-stop"),
		e("ro-ro-2", "RO", "ro", "inspectorate", "Inspecția muncii (demo)", "Anunță salariile neplătite, lipsa contractului sau munca periculoasă.", "+447700900102", "https://inspectorate-ro.example.org", "Luni–vineri 8:00–16:00"),
		e("ro-ro-3", "RO", "ro", "emergency", "Urgențe", "Poliție, ambulanță, pompieri.", "112", "", "Non-stop"),
		e("ro-uk-1", "RO", "uk", "hotline", "Лінія протидії торгівлі людьми (демо)", "Безплатна й конфіденційна порада, якщо вас або когось із близьких експлуатують.", "+447700900100", "https://hotline-ro.example.org", "Цілодобово"),
		e("ro-uk-2", "RO", "uk", "emergency", "Екстрена допомога", "Поліція, швидка, пожежники.", "112", "", "Цілодобово"),
		e("ro-ar-1", "RO", "ar", "hotline", "خط مكافحة الاتجار بالبشر (تجريبي)", "نصيحة مجانية وسرية إذا كنت أنت أو شخص تعرفه تتعرض للاستغلال.", "+447700900100", "https://hotline-ro.example.org", "على مدار الساعة"),
		e("ro-ar-2", "RO", "ar", "emergency", "الطوارئ", "الشرطة، الإسعاف، الإطفاء.", "112", "", "على مدار الساعة"),
		e("be-en-1", "BE", "en", "hotline", "Anti-trafficking line (demo)", "Advice and shelter for victims of exploitation.", "+33639980101", "https://hotline-be.example.org", "Mon–Fri 9:00–17:00"),
		e("be-en-2", "BE", "en", "emergency", "Emergency", "Police, ambulance, fire brigade.", "112", "", "24/7"),
		e("be-fr-1", "BE", "fr", "hotline", "Ligne contre la traite (démo)", "Conseils et hébergement pour les victimes d'exploitation.", "+33639980101", "https://hotline-be.example.org", "Lun–ven 9h–17h"),
		e("be-fr-2", "BE", "fr", "inspectorate", "Inspection du travail (démo)", "Signalez un salaire impayé ou un travail sans contrat.", "+33639980102", "https://inspection-be.example.org", "Lun–ven 8h–16h"),
		e("be-fr-3", "BE", "fr", "emergency", "Urgences", "Police, ambulance, pompiers.", "112", "", "24 h sur 24"),
		e("be-nl-1", "BE", "nl", "hotline", "Hulplijn mensenhandel (demo)", "Advies en opvang voor slachtoffers van uitbuiting.", "+33639980101", "https://hotline-be.example.org", "Ma–vr 9–17 uur"),
		e("be-nl-2", "BE", "nl", "emergency", "Noodnummer", "Politie, ambulance, brandweer.", "112", "", "Dag en nacht"),
		e("es-es-1", "ES", "es", "hotline", "Línea contra la trata (demo)", "Ayuda gratuita y confidencial para víctimas de explotación.", "+33639980201", "https://linea-es.example.org", "24 horas"),
		e("es-es-2", "ES", "es", "inspectorate", "Inspección de trabajo (demo)", "Denuncia salarios impagados o trabajo sin contrato.", "+33639980202", "https://inspeccion-es.example.org", "Lun–vie 9:00–14:00"),
		e("es-es-3", "ES", "es", "emergency", "Emergencias", "Policía, ambulancia, bomberos.", "112", "", "24 horas"),
		e("es-en-1", "ES", "en", "hotline", "Anti-trafficking line (demo)", "Free, confidential help for victims of exploitation.", "+33639980201", "https://linea-es.example.org", "24/7"),
		e("es-en-2", "ES", "en", "emergency", "Emergency", "Police, ambulance, fire brigade.", "112", "", "24/7"),
	}
}
