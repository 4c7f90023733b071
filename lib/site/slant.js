/*
 * slant.js -- the review site's one script (slant-report --html; docs/report.md),
 * written beside index.html and loaded by every page. Compiled into slant-report
 * from lib/site/slant.js. An article's data comes from its JSON block
 * (#slant-data); text is only ever set with textContent, never innerHTML.
 */
'use strict';

/* Column sorting for every table with th[data-sort]. */
document.querySelectorAll('th[data-sort]').forEach(function (th) {
	th.addEventListener('click', function () {
		var b = th.closest('table').tBodies[0],
			i = Array.prototype.indexOf.call(th.parentNode.children, th),
			num = th.dataset.sort === 'num', dir = th.dataset.dir === 'asc' ? -1 : 1;
		th.dataset.dir = dir > 0 ? 'asc' : 'desc';
		var rows = Array.prototype.slice.call(b.rows);
		rows.sort(function (x, y) {
			var a = x.cells[i].dataset.v !== undefined ? x.cells[i].dataset.v : x.cells[i].textContent,
				c = y.cells[i].dataset.v !== undefined ? y.cells[i].dataset.v : y.cells[i].textContent;
			if (num) {
				a = a === '' ? Infinity : +a;
				c = c === '' ? Infinity : +c;
				return (a - c) * dir;
			}
			return a.localeCompare(c) * dir;
		});
		rows.forEach(function (r) { b.appendChild(r); });
	});
});

/* A file the browser downloads. */
function download(name, obj) {
	var blob = new Blob([JSON.stringify(obj, null, 1)], { type: 'application/json' }),
		u = URL.createObjectURL(blob), l = document.createElement('a');
	l.href = u;
	l.download = name;
	document.body.appendChild(l);
	l.click();
	setTimeout(function () { URL.revokeObjectURL(u); l.remove(); }, 0);
}

/* Where this browser keeps a site's decisions: one key per article, under the site's key. */
function decKey(site, article) { return 'slant:dec:' + site + ':' + article; }

/* The index: every decision kept in this browser for this site, exported as one file. */
if (document.getElementById('export-all')) (function () {
	var site = document.getElementById('decisions').dataset.site, all = [],
		prefix = decKey(site, '');
	try {
		for (var i = 0; i < localStorage.length; i++) {
			var k = localStorage.key(i);
			if (k.indexOf(prefix) !== 0)
				continue;
			var o = JSON.parse(localStorage.getItem(k) || '{}');
			Object.keys(o).forEach(function (x) { all.push(o[x]); });
		}
	} catch (e) {}
	document.getElementById('n-dec').textContent = all.length + ' decisions kept for this site';
	document.getElementById('export-all').addEventListener('click', function () {
		download('decisions.json', { format: 1, kind: 'slant-decisions',
			exported: new Date().toISOString(), decisions: all });
	});
})();

/*
 * An article page: tooltips, review by mouse or keyboard, decisions in
 * localStorage. A decision imported into the database (slant-store
 * --decisions) arrives in the page data ('d') and is where this browser
 * starts; what is decided here overrides it and is what gets exported.
 */
if (document.getElementById('slant-data')) (function () {
	var D = JSON.parse(document.getElementById('slant-data').textContent),
		KEY = decKey(D.site, D.article), S = {}, pinned = null,
		tip = document.getElementById('tip'), text = document.getElementById('text'),
		who = document.getElementById('reviewer');
	/* What can be added where slant missed one: the kind shown, its stage and label. */
	var ADD = [['Loaded term', 'frame', 'loaded'], ['Scare quote', 'frame', 'scare_quote'],
		['Hedge', 'attrib', 'hedge'], ['Unattributed claim', 'attrib', 'unattributed'],
		['Vague attribution', 'attrib', 'vague'], ['Anonymous source', 'attrib', 'anonymous'],
		['Unlisted organisation', 'affil', 'unknown']];
	/* Site-wide decisions on a lexicon entry ("across the site"), kept under the article "*". */
	var RKEY = decKey(D.site, '*'), R = {};
	try { S = JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { S = {}; }
	try { R = JSON.parse(localStorage.getItem(RKEY) || '{}') || {}; } catch (e) { R = {}; }
	function rkey(a) { return a.st + ':' + a.l + ':' + (a.en || ''); }
	try { who.value = localStorage.getItem('slant:reviewer') || ''; } catch (e) {}
	who.addEventListener('change', function () {
		try { localStorage.setItem('slant:reviewer', who.value.trim()); } catch (e) {}
	});
	function save() {
		try {
			localStorage.setItem(KEY, JSON.stringify(S));
			localStorage.setItem(RKEY, JSON.stringify(R));
		} catch (e) {}
	}
	function key(a) { return a.s + ':' + a.e + ':' + a.st + ':' + a.l + ':' + (a.en || ''); }
	function marks(id) { return document.querySelectorAll('mark.hl[data-a="' + id + '"]'); }
	function item(id) { return document.querySelector('li[data-f="' + id + '"]'); }
	/* This browser's decision on the flag, else on its entry across the site, else the database's. */
	function dec(id) {
		var a = D.anns[id], d = S[key(a)] || (a.en && R[rkey(a)]);
		return d ? d.decision : a.d ? a.d.c : '';
	}
	/* The kind's title and the reason are the flag list's (not repeated in the data). */
	function title(id) { var li = item(id), c = li && li.querySelector('.chip'); return c ? c.textContent : ''; }
	function why(id) { var li = item(id), w = li && li.querySelector('.why'); return w ? w.textContent : ''; }
	function paint(id) {
		var c = dec(id);
		marks(id).forEach(function (m) {
			m.classList.toggle('dec-accept', c === 'accept');
			m.classList.toggle('dec-reject', c === 'reject');
		});
		var li = item(id);
		if (li) {
			li.dataset.dec = c;
			li.querySelectorAll('button[data-d]').forEach(function (b) {
				b.classList.toggle('on', b.dataset.d === c);
			});
		}
	}
	function counts() {
		var a = 0, r = 0, n = 0, added = 0;
		Object.keys(D.anns).forEach(function (id) {
			n++;
			var c = dec(id);
			if (c === 'accept') a++;
			else if (c === 'reject') r++;
		});
		Object.keys(S).forEach(function (k) { if (S[k].decision === 'add') added++; });
		document.getElementById('dec-counts').textContent = a + ' accepted \u00b7 ' + r +
			' rejected \u00b7 ' + (n - a - r) + ' to review' + (added ? ' \u00b7 ' + added + ' added' : '');
	}
	function record(a, c) {
		return { article: D.article, start: a.s, end: a.e, stage: a.st, label: a.l,
			entry: a.en || '', lexicon: a.lx || null, text: a.x, decision: c,
			reviewer: who.value.trim() || null, decided: new Date().toISOString() };
	}
	/* Decide flag 'id': 'c' again (or '') takes this browser's decision back. */
	function set(id, c) {
		var a = D.anns[id], k = key(a);
		if (!c || (S[k] && S[k].decision === c))
			delete S[k];
		else
			S[k] = record(a, c);
		paint(id);
	}
	function decide(id, c) {
		set(id, c);
		save();
		counts();
		if (pinned === id)
			show(id, true);
	}
	/* Every flag of this article with the same lexicon entry, stage and label. */
	function same(id) {
		var a = D.anns[id];
		return a.en ? Object.keys(D.anns).filter(function (x) {
			var b = D.anns[x];
			return b.en === a.en && b.st === a.st && b.l === a.l;
		}) : [id];
	}
	function decideAll(id, c) {
		same(id).forEach(function (x) { var k = key(D.anns[x]); delete S[k]; set(x, c); });
		save();
		counts();
		if (pinned !== null)
			show(pinned, true);
	}
	/* Every flag of the entry on every page of the site: one decision slant-store spreads. */
	function decideSite(id, c) {
		var a = D.anns[id], k = rkey(a);
		if (R[k] && R[k].decision === c)
			delete R[k];
		else
			R[k] = { article: '*', start: 0, end: 0, stage: a.st, label: a.l, entry: a.en,
				lexicon: a.lx || null, decision: c, reviewer: who.value.trim() || null,
				decided: new Date().toISOString() };
		same(id).forEach(function (x) { delete S[key(D.anns[x])]; paint(x); });
		save();
		counts();
		if (pinned !== null)
			show(pinned, true);
	}
	function row(t, k, v) {
		if (!v)
			return;
		var d = document.createElement('div'), b = document.createElement('b');
		d.className = 'r';
		b.textContent = k + ': ';
		d.appendChild(b);
		d.appendChild(document.createTextNode(v));
		t.appendChild(d);
	}
	function button(label, cls, fn) {
		var b = document.createElement('button');
		b.className = cls;
		b.textContent = label;
		b.addEventListener('click', function (e) { e.stopPropagation(); fn(); });
		return b;
	}
	/* Accept and reject buttons for flag 'id' into 'box'; 'short' for the flag list. */
	function btns(id, box, short) {
		['accept', 'reject'].forEach(function (c) {
			var b = button(short ? (c === 'accept' ? '\u2713' : '\u2717')
				: (c === 'accept' ? '\u2713 Accept' : '\u2717 Reject'),
				(c === 'accept' ? 'acc' : 'rej') + (dec(id) === c ? ' on' : ''),
				function () { decide(id, c); });
			b.dataset.d = c;
			if (short)
				b.title = c === 'accept' ? 'Accept: the flag is right (a)' : 'Reject: a false alarm (r)';
			box.appendChild(b);
			box.appendChild(document.createTextNode(' '));
		});
	}
	/* The tooltip next to the highlight, above it when there is no room below: the page never moves. */
	function place(m) {
		var r = m.getBoundingClientRect(), w = tip.offsetWidth, h = tip.offsetHeight,
			below = r.bottom + 8 + h <= window.innerHeight || r.top - 8 - h < 0;
		tip.style.left = Math.max(8, Math.min(window.scrollX + r.left,
			window.scrollX + document.documentElement.clientWidth - w - 8)) + 'px';
		tip.style.top = (below ? window.scrollY + r.bottom + 8 : window.scrollY + r.top - 8 - h) + 'px';
	}
	function show(id, pin) {
		var a = D.anns[id], m = marks(id)[0];
		if (!a || !m)
			return;
		tip.textContent = '';
		var t = document.createElement('div');
		t.className = 't';
		t.textContent = title(id) + ' #' + id;
		tip.appendChild(t);
		var x = document.createElement('div');
		x.className = 'x';
		x.textContent = '\u201c' + a.x + '\u201d';
		tip.appendChild(x);
		row(tip, 'Why', why(id));
		row(tip, 'Entry', a.en ? a.en + (a.lx ? ' (' + a.lx + ')' : '') : '');
		row(tip, 'Neutral alternative', a.alt);
		row(tip, 'Speaker', a.sp);
		row(tip, 'Source', a.so);
		if (a.d)
			row(tip, 'Reviewed', (a.d.c === 'reject' ? 'rejected' : 'accepted') +
				(a.d.by ? ' by ' + a.d.by : '') + (a.d.at ? ', ' + a.d.at.slice(0, 10) : ''));
		if (pin) {
			var b = document.createElement('div');
			b.className = 'btns';
			btns(id, b, false);
			tip.appendChild(b);
			var all = same(id);
			if (all.length > 1) {
				var k = document.createElement('div');
				k.className = 'bulk';
				k.appendChild(document.createTextNode('All ' + all.length + ' flags of \u2018' + a.en + '\u2019 here: '));
				k.appendChild(button('\u2713 Accept all', 'acc', function () { decideAll(id, 'accept'); }));
				k.appendChild(document.createTextNode(' '));
				k.appendChild(button('\u2717 Reject all', 'rej', function () { decideAll(id, 'reject'); }));
				tip.appendChild(k);
			}
			if (a.en) {
				var site = document.createElement('div'), r = R[rkey(a)];
				site.className = 'bulk site';
				site.appendChild(document.createTextNode('\u2018' + a.en + '\u2019 on every page of this site' +
					(r ? ' (' + r.decision + 'ed)' : '') + ': '));
				site.appendChild(button('\u2713 Accept everywhere', 'acc', function () { decideSite(id, 'accept'); }));
				site.appendChild(document.createTextNode(' '));
				site.appendChild(button('\u2717 Reject everywhere', 'rej', function () { decideSite(id, 'reject'); }));
				tip.appendChild(site);
			}
		} else {
			row(tip, '', 'click or Enter to review');
		}
		tip.hidden = false;
		place(m);
	}
	function hide() { if (pinned === null) tip.hidden = true; }
	function unpin() {
		pinned = null;
		document.querySelectorAll('.sel').forEach(function (x) { x.classList.remove('sel'); });
		tip.hidden = true;
	}
	/* Select flag 'id'; 'scroll' brings its highlight into view (from the list or a link only). */
	function pin(id, scroll) {
		if (!D.anns[id])
			return;
		document.querySelectorAll('.sel').forEach(function (e) { e.classList.remove('sel'); });
		pinned = id;
		marks(id).forEach(function (m) { m.classList.add('sel'); });
		var li = item(id);
		if (li) {
			li.classList.add('sel');
			/* Within the list only: scrollIntoView moved the whole page away from the highlight. */
			var list = li.parentNode, top = li.offsetTop;
			if (top < list.scrollTop || top + li.offsetHeight > list.scrollTop + list.clientHeight)
				list.scrollTop = top - list.clientHeight / 2;
		}
		if (scroll)
			marks(id)[0].scrollIntoView({ block: 'center' });
		show(id, true);
	}
	document.addEventListener('mouseover', function (e) {
		var m = e.target.closest && e.target.closest('mark.hl');
		if (m && pinned === null)
			show(m.dataset.a, false);
	});
	document.addEventListener('mouseout', function (e) {
		if (e.target.closest && e.target.closest('mark.hl'))
			hide();
	});
	document.addEventListener('click', function (e) {
		var m = e.target.closest('mark.hl');
		if (m) {
			if (!window.getSelection().isCollapsed)
				return;
			pin(m.dataset.a, false);
			return;
		}
		var g = e.target.closest('[data-go]');
		if (g) {
			e.preventDefault();
			pin(g.dataset.go, true);
			return;
		}
		var li = e.target.closest('li[data-f]');
		if (li && !e.target.closest('button')) {
			pin(li.dataset.f, true);
			return;
		}
		if (!e.target.closest('#tip') && !e.target.closest('.addbox'))
			unpin();
	});
	/* Keyboard review: Enter or Space opens the focused highlight or flag, a / r decide. */
	document.addEventListener('keydown', function (e) {
		if (e.target === who || e.ctrlKey || e.metaKey || e.altKey)
			return;
		var f = e.target.closest && (e.target.closest('mark.hl') || e.target.closest('li[data-f]')),
			id = f ? (f.dataset.a !== undefined ? f.dataset.a : f.dataset.f) : pinned;
		if (e.key === 'Escape') {
			unpin();
			closeAdd();
		} else if (f && (e.key === 'Enter' || e.key === ' ')) {
			e.preventDefault();
			pin(id, false);
		} else if (id !== null && id !== undefined && (e.key === 'a' || e.key === 'r')) {
			e.preventDefault();
			decide(id, e.key === 'a' ? 'accept' : 'reject');
		}
	});
	/* The flag list: focusable rows, and their buttons (made here: they do nothing without the script). */
	document.querySelectorAll('.flags li[data-f]').forEach(function (li) {
		var box = document.createElement('span');
		box.className = 'btns';
		btns(li.dataset.f, box, true);
		li.insertBefore(box, li.querySelector('.why'));
		li.tabIndex = 0;
	});
	document.querySelectorAll('.legend input').forEach(function (c) {
		c.addEventListener('change', function () {
			document.body.classList.toggle('hide-' + c.value, !c.checked);
		});
	});

	/* Adding a flag slant missed: select words in the text, pick a kind. */
	var addbox = null;
	function closeAdd() { if (addbox) { addbox.remove(); addbox = null; } }
	/* The UTF-8 byte offset of a point in the text (the database's offsets are bytes). */
	function offset(node, off) {
		var r = document.createRange();
		r.setStart(text, 0);
		r.setEnd(node, off);
		return new TextEncoder().encode(r.toString()).length;
	}
	function addFlag(s, e, sel, kind) {
		var k = 'add:' + s + ':' + e + ':' + kind[1] + ':' + kind[2];
		S[k] = { article: D.article, start: s, end: e, stage: kind[1], label: kind[2], entry: '',
			text: sel, decision: 'add', reviewer: who.value.trim() || null,
			decided: new Date().toISOString() };
		save();
		counts();
		showAdded();
		closeAdd();
	}
	text.addEventListener('mouseup', function () {
		var sel = window.getSelection();
		closeAdd();
		if (sel.isCollapsed || !sel.rangeCount)
			return;
		var r = sel.getRangeAt(0);
		if (!text.contains(r.startContainer) || !text.contains(r.endContainer))
			return;
		var s = offset(r.startContainer, r.startOffset), e = offset(r.endContainer, r.endOffset),
			str = r.toString();
		if (e <= s || !str.trim())
			return;
		addbox = document.createElement('div');
		addbox.className = 'addbox';
		addbox.appendChild(document.createTextNode('Add a missed flag: '));
		ADD.forEach(function (kind) {
			var b = button(kind[0], 'add', function () { addFlag(s, e, str, kind); });
			b.dataset.kind = kind[2];
			addbox.appendChild(b);
		});
		document.body.appendChild(addbox);
		var rr = r.getBoundingClientRect();
		addbox.style.left = Math.max(8, window.scrollX + rr.left) + 'px';
		addbox.style.top = (window.scrollY + rr.bottom + 8) + 'px';
	});
	/* Flags added in this browser, listed in the review card (removable). */
	function showAdded() {
		var box = document.getElementById('added');
		if (!box) {
			box = document.createElement('ul');
			box.id = 'added';
			box.className = 'sub';
			document.getElementById('review').appendChild(box);
		}
		box.textContent = '';
		Object.keys(S).forEach(function (k) {
			var d = S[k];
			if (d.decision !== 'add')
				return;
			var li = document.createElement('li');
			li.textContent = 'Added ' + d.stage + '/' + d.label + ': \u201c' + d.text + '\u201d ';
			li.appendChild(button('remove', 'rej', function () { delete S[k]; save(); counts(); showAdded(); }));
			box.appendChild(li);
		});
	}

	document.getElementById('export').addEventListener('click', function () {
		var out = Object.keys(S).map(function (k) { return S[k]; })
			.concat(Object.keys(R).map(function (k) { return R[k]; })).map(function (d) {
			if (!d.reviewer && who.value.trim())
				d.reviewer = who.value.trim();
			return d;
		});
		download('decisions-' + D.file + '.json', { format: 1, kind: 'slant-decisions',
			exported: new Date().toISOString(), decisions: out });
	});
	document.getElementById('clear').addEventListener('click', function () {
		if (confirm('Forget the decisions this browser made on this article?')) {
			S = {};
			save();
			Object.keys(D.anns).forEach(paint);
			counts();
			showAdded();
		}
	});
	Object.keys(D.anns).forEach(paint);
	counts();
	showAdded();
	var h = /^#a([0-9]+)$/.exec(location.hash);
	if (h)
		pin(h[1], true);
})();
