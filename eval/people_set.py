"""People in code and data, and real-export style conversations without
anyone in them: labelled sets from a seeded generator (no other randomness).

- :func:`code_cases`: names in what users paste — JSON records, dict and
  object literals, YAML lists, CSV rows, SQL inserts, git logs, ``@author``
  tags, copyright lines, package manifests — and in custom instructions
  ("call me ...", "Preferred name: ..."), beside code identifiers, package
  names, step names and organisations that must stay. Gold: each name.
- :func:`export_cases`: conversations in the style of real ChatGPT exports
  with no person in them — products, services, frameworks, places, events,
  works, headings of capitalised words — where each product or title recurs
  in several messages, so that one false guess propagated by the
  conversation's name recurrences shows up many times. Scored as
  over-redaction (every redacted character is wrong) and by the number of
  ``PERSON`` placeholders.

The name lists are the generator's own (those of ``eval.identifiers_set``).
"""

from __future__ import annotations

import random

from eval.chat_set import one_message_cases
from eval.identifiers_set import FIRST, LAST

SEED = 5151
P = "PERSON"


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def _code_templates(rng: random.Random) -> list:
    first, last = _name(rng)
    full = f"{first} {last}"
    mail = f"{first.lower()}@mail.example"
    return rng.choice(
        (
            ['```json\n{"id": 17, "full_name": "', (full, P), f'", "email": "{mail}"}}\n```'],
            [
                '```python\nuser = {"first_name": "',
                (first, P),
                '", "last_name": "',
                (last, P),
                '", "role": "admin"}\n```\nwhy does this fail?',
            ],
            ["```yaml\nstaff:\n  - name: ", (full, P), "\n    role: nurse\n```"],
            ["```csv\nid,name,email\n1,", (full, P), f",{mail}\n```\nparse this with pandas"],
            [
                '```json\n{"name": "billing-api", "author": "',
                (full, P),
                f' <{mail}>", "version": "1.2.0"}}\n```',
            ],
            [
                "```\ncommit 3f1c9a5e\nAuthor: ",
                (full, P),
                f" <{mail}>\nDate:   Mon Mar 4 10:12\n\n    Fix the parser\n```",
            ],
            [
                "```java\n/**\n * Parses invoices.\n * @author ",
                (full, P),
                "\n */\npublic class InvoiceParser {}\n```",
            ],
            ["```python\n# Copyright (c) 2021 ", (full, P), "\nimport os\n```"],
            [
                "```sql\nINSERT INTO customers (id, full_name, city) VALUES (4, '",
                (full, P),
                "', 'Leeds');\n```",
            ],
            [
                "```js\nconst owner = new Person({ firstName: '",
                (first, P),
                "', lastName: '",
                (last, P),
                "' });\n```",
            ],
            ['```toml\n[project]\nname = "ledger"\nauthors = [{name = "', (full, P), '"}]\n```'],
            ["Custom instructions: I'm a nurse in Leeds. Please call me ", (first, P), "."],
            ["Preferred name: ", (first, P), "\nRole: backend developer"],
            ["What would you like ChatGPT to call you? ", (first, P)],
        )
    )


CODE_LOOKALIKES = [
    "```python\nclass JohnsonParser:\n    def parse(self, name):\n        return name\n```",
    '```json\n{"name": "my-package", "version": "1.0.0", "author": "OpenAI"}\n```',
    "```yaml\njobs:\n  build:\n    steps:\n      - name: Checkout\n      - name: Run Tests\n```",
    '```toml\n[project]\nname = "requests"\n```',
    '```python\nbutton = Button(name="Submit Button", color="blue")\n```',
    "```java\n// Copyright 2024 The Apache Software Foundation\npackage org.apache.beam;\n```",
    "```yaml\nenv:\n  name: production\n  region: eu-west-1\n```",
    "```csv\nid,product_name,price\n1,Standing Desk,299\n2,Desk Lamp,39\n```",
    "```sql\nSELECT name, email FROM users WHERE name = :name;\n```",
    "```python\ndef get_user_name(user):\n    return user.first_name + ' ' + user.last_name\n```",
    '```json\n{"name": "Dark Mode", "enabled": true}\n```',
    "```js\nconst { name, email } = req.body;\n```",
]


def code_cases(seed: int = SEED, n: int = 140) -> list[dict]:
    """``n`` pastes and custom instructions with names, then the look-alikes."""
    rng = random.Random(seed)
    return one_message_cases((_code_templates(rng) for _ in range(n)), CODE_LOOKALIKES)


PRODUCTS = (
    "Supabase Vercel Netlify Airtable Zapier Notion Obsidian Miro Canva Figma Linear Asana "
    "Trello Todoist Calendly Loom Grammarly Duolingo Strava Peloton Revolut Monzo Wise Klarna "
    "Procreate Blender Unity Godot Remix Astro Nuxt Svelte Prisma Drizzle Tauri Electron "
    "Vite Bun Deno Hono Celery Airflow Dagster Prefect Streamlit Gradio Pinecone Weaviate "
    "Qdrant Ollama LangChain Midjourney Perplexity Copilot Cursor"
).split()
TITLES = (
    "Project Phoenix",
    "Operation Nightfall",
    "Quarterly Business Review",
    "Harvest Festival",
    "Northern Lights Tour",
    "Summer Reading Challenge",
    "Marathon Training Plan",
)
PLACES = ("Lisbon", "Kyoto", "Patagonia", "Tuscany", "Reykjavik", "Cappadocia", "Banff")
EVENTS = (
    "the Battle of Hastings",
    "the Treaty of Westphalia",
    "the Congress of Vienna",
    "the Meiji Restoration",
    "the Dust Bowl",
)
WORKS = ("Moby Dick", "The Odyssey", "Middlemarch", "Don Quixote", "The Tempest")


def _export_messages(rng: random.Random) -> list[str]:
    product, other = rng.sample(PRODUCTS, 2)
    title = rng.choice(TITLES)
    return [
        f"# {title}\n\nI'm planning {title} and want to use {product} for the tasks. "
        f"Is {product} better than {other} for a team of five?",
        f"{product} is a good fit: {product} has templates and {other} lacks a free tier. "
        f"For {title}, start with a {product} board per week.",
        f"Can {product} sync with {rng.choice(PRODUCTS)}? Also summarise {rng.choice(EVENTS)} "
        f"and {rng.choice(WORKS)} in two lines each for the {title} newsletter.",
        f"Yes, {product} has an integration. {rng.choice(EVENTS).capitalize()} reshaped Europe; "
        f"{rng.choice(WORKS)} is a classic. Trip idea for {title}: {rng.choice(PLACES)} in May.",
        f"Thanks! Last one: how do I export from {product} to {other}?",
    ]


# A second family, phrased like assistant answers (markdown lists, bold
# headings, recommendations), on other products, places, works and events,
# several of which are also given names or surnames.
TOOLS = (
    "Railway Render Fly Pocketbase Appwrite Convex Turso Neon Upstash Sentry Posthog Mixpanel "
    "Amplitude Segment Retool Budibase Directus Strapi Payload Sanity Contentful Ghost Webflow "
    "Framer Bubble Glide Softr Coda Tana Logseq Anki Readwise Raycast Alfred Warp Zed Helix "
    "Jenkins Ansible Terraform Pulumi Nomad Consul Grafana Kibana Jasper Julia Ada Ruby"
).split()
SIGHTS = ("Hallstatt", "Cinque Terre", "Chefchaouen", "Wadi Rum", "Bled", "Sintra", "Matera")
HISTORY = ("the Boxer Rebellion", "the Glorious Revolution", "the Hundred Years' War")
BOOKS = ("Beloved", "Middlemarch", "Things Fall Apart", "Jane Eyre", "Oliver Twist", "Emma")


def _answer_messages(rng: random.Random) -> list[str]:
    tool, other, third = rng.sample(TOOLS, 3)
    book, sight = rng.choice(BOOKS), rng.choice(SIGHTS)
    return [
        f"which is better for a side project, {tool} or {other}? I also need {third}",
        f"## {tool} vs {other}\n\n**{tool}** is a simple platform with a generous free tier. "
        f"**{other}** has more integrations.\n\n- Pick {tool} if you want speed.\n"
        f"- Pick {other} for control.\n\nI recommend {tool} plus {third} for logs.",
        f"ok, set up {tool} for me. also what's {book} about? and plan a day in {sight}",
        f"### Setting up {tool}\n\n1. Sign up for {tool}.\n2. Connect your repo.\n"
        f"3. Add {third} keys.\n\n**{book}** is a novel about memory and family. "
        f"In {sight}, start early; {rng.choice(HISTORY)} shaped the region's history.",
        f"thanks, {tool} works now",
    ]


def export_cases(seed: int = SEED, n: int = 60) -> list[dict]:
    """``n`` conversations of the first family and ``n // 2`` of the second."""
    rng = random.Random(seed + 1)
    first = [{"messages": _export_messages(rng), "spans": []} for _ in range(n)]
    return first + [{"messages": _answer_messages(rng), "spans": []} for _ in range(n // 2)]
