"""The seed programmes' texts in the other languages of their organisations.

Written for the demo so that the Arabic-reading demo mentee reads her programme in Arabic: an
organisation writes its own (binome.core.content); these show what that looks like.
"""

# ruff: noqa: E501

# The languages each demo organisation writes for its participants in, its source language first.
CONTENT_LANGUAGES: dict[str, list[str]] = {
    "hors-pistes": ["fr", "ar", "en", "uk"],
    "cai": ["fr", "en", "ar", "uk"],
    "inclucities": ["fr", "en"],
    "lien-solidaire": ["fr", "uk", "ar", "en"],
}

# {programme slug: {field: {language: text}}}
PROGRAMME_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "mentorat-interculturel": {
        "name": {
            "ar": "الإرشاد بين الثقافات",
            "en": "Intercultural mentoring",
            "uk": "Міжкультурне наставництво",
        },
        "description": {
            "ar": "مساحة للتبادل والحوار بين شخص له تجربة هجرة (المستفيد أو المستفيدة) وشخص «محلي» (المرشد أو المرشدة). يحدّد الثنائي معًا الاحتياجات، ويضع أهدافًا، ويبني مشروعًا وفق رغباته ومهاراته. وإلى جانب الثنائيات، تجعل الأنشطة الجماعية (لقاءات التعارف، والخرجات، واللقاءات الموضوعية) من المجموعة مجتمعًا للتعاون والتضامن.",
            "en": "A space for exchange and dialogue between a person with a migration story (mentee) and a “local” person (mentor). Together the pair sets out needs and goals and builds a project that fits their wishes and skills. Alongside the pairs, group activities (ice-breakers, outings, themed meetings) make the group a community of mutual help.",
            "uk": "Простір для обміну й діалогу між людиною з досвідом міграції (особа, яку супроводжують) і «місцевою» людиною (наставник або наставниця). Разом пара визначає потреби, ставить цілі й будує проєкт відповідно до своїх бажань і вмінь. Поряд із парами спільні заходи (знайомства, прогулянки, тематичні зустрічі) перетворюють групу на спільноту взаємодопомоги.",
        },
        "audience": {
            "ar": "المستفيدون: أشخاص مهاجرون وصلوا حديثًا إلى مرسيليا، أيًّا كان وضعهم. المرشدون: كل شخص يعيش في مرسيليا ويريد أن يلتزم كمواطن فاعل أو مواطنة فاعلة.",
            "en": "Mentees: migrants who have recently arrived in Marseille, whatever their status. Mentors: anyone living in Marseille who wants to get involved as an active citizen.",
            "uk": "Особи, яких супроводжують: мігранти, які нещодавно прибули до Марселя, незалежно від їхнього статусу. Наставники: кожен, хто живе в Марселі й хоче долучитися як активний громадянин чи громадянка.",
        },
        "commitment": {
            "ar": "لقاءان في الشهر لمدة تسعة أشهر، إضافة إلى الأنشطة الجماعية للمجموعة (مرة في الشهر تقريبًا).",
            "en": "Two meetings a month for nine months, and the group's activities (about once a month).",
            "uk": "Дві зустрічі на місяць протягом дев'яти місяців і спільні заходи групи (приблизно раз на місяць).",
        },
    },
    "mentorat-professionnel-n2wa": {
        "name": {
            "ar": "الإرشاد المهني وبين الثقافات (N2WA)",
            "en": "Professional and intercultural mentoring (N2WA)",
            "uk": "Професійне та міжкультурне наставництво (N2WA)",
        },
        "description": {
            "ar": "يربط الإرشاد بين شخص طالب لجوء (المستفيد) وعامل أو عاملة ذي خبرة ومتطوّع (المرشد): لاكتشاف مهنة، وفهم أعراف القطاع المنشود، وبناء شبكة علاقات مهنية. بعد مقابلة مع كل منهما، يقترح المركز ثنائيًا؛ ويُصادَق في اللقاء الأول على اتفاقية الإرشاد وخطة العمل.",
            "en": "The mentoring links an asylum seeker (mentee) with an experienced volunteer worker (mentor): to discover a trade, understand the codes of the sector they aim for and build a professional network. After an interview with each of them, the C.A.I. proposes a pair; the first meeting confirms a mentoring agreement and an action plan.",
            "uk": "Наставництво поєднує людину, яка шукає притулку (особа, яку супроводжують), і досвідченого працівника чи працівницю-волонтера (наставник): щоб пізнати професію, зрозуміти правила бажаної галузі та побудувати професійні зв'язки. Після співбесіди з кожним C.A.I. пропонує пару; на першій зустрічі затверджують угоду про наставництво і план дій.",
        },
    },
    "mentorat-ville-a-ville": {
        "name": {"en": "City-to-city mentoring"},
        "description": {
            "en": "“Mentor city” and “mentee city” teams (municipality, civil society, association of municipalities) work together on one area of integration policy: needs analysis of the mentee city, experience analysis of the mentor city, matching, three visits (two in the mentee city, one in the mentor city) and an action plan.",
        },
    },
    "mentorat-a-distance": {
        "name": {
            "ar": "الإرشاد عن بُعد",
            "en": "Remote mentoring",
            "uk": "Дистанційне наставництво",
        },
        "description": {
            "ar": "إرشاد عبر مكالمات الفيديو للأشخاص المعزولين، في المناطق الريفية مثلًا: رابط من الثقة والإصغاء، صُمّم مع الفاعلين التربويين والاجتماعيين في المنطقة. يتلقى المرشدون تدريبًا ويُرافَقون طوال فترة التزامهم.",
            "en": "Mentoring by video call for people who are isolated, in rural areas for instance: a bond of trust and listening, designed with the educational and social services of the area. Mentors are trained and supported throughout their commitment.",
            "uk": "Наставництво відеозв'язком для людей, які живуть ізольовано, наприклад у сільській місцевості: зв'язок довіри й уважного слухання, продуманий разом з освітніми та соціальними службами території. Наставників навчають і супроводжують протягом усього їхнього залучення.",
        },
    },
}
