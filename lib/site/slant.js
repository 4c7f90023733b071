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

/* The index: every decision kept in this browser, exported as one file. */
if (document.getElementById('export-all')) (function () {
	var all = [];
	try {
		for (var i = 0; i < localStorage.length; i++) {
			var k = localStorage.key(i);
			if (k.indexOf('slant:dec:') !== 0)
				continue;
			var o = JSON.parse(localStorage.getItem(k) || '{}');
			Object.keys(o).forEach(function (x) { all.push(o[x]); });
		}
	} catch (e) {}
	document.getElementById('n-dec').textContent = all.length + ' decisions kept';
	document.getElementById('export-all').addEventListener('click', function () {
		download('decisions.json', { format: 1, kind: 'slant-decisions',
			exported: new Date().toISOString(), decisions: all });
	});
})();

/* An article page: tooltips, review, decisions in localStorage. */
if (document.getElementById('slant-data')) (function () {
	var D = JSON.parse(document.getElementById('slant-data').textContent),
		KEY = 'slant:dec:' + D.article, S = {}, pinned = null, tip = document.getElementById('tip');
	try { S = JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { S = {}; }
	function save() { try { localStorage.setItem(KEY, JSON.stringify(S)); } catch (e) {} }
	function key(a) { return a.s + ':' + a.e + ':' + a.st + ':' + a.l + ':' + (a.en || ''); }
	function marks(id) { return document.querySelectorAll('mark.hl[data-a="' + id + '"]'); }
	function item(id) { return document.querySelector('li[data-f="' + id + '"]'); }
	function dec(id) { var d = S[key(D.anns[id])]; return d ? d.decision : ''; }
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
		var a = 0, r = 0, n = 0;
		Object.keys(D.anns).forEach(function (id) {
			n++;
			var c = dec(id);
			if (c === 'accept') a++;
			else if (c === 'reject') r++;
		});
		document.getElementById('dec-counts').textContent =
			a + ' accepted \u00b7 ' + r + ' rejected \u00b7 ' + (n - a - r) + ' to review';
	}
	function decide(id, c) {
		var a = D.anns[id], k = key(a);
		if (!c || (S[k] && S[k].decision === c))
			delete S[k];
		else
			S[k] = { article: D.article, start: a.s, end: a.e, stage: a.st, label: a.l,
				entry: a.en || '', lexicon: a.lx || null, text: a.x, decision: c,
				decided: new Date().toISOString() };
		save();
		paint(id);
		counts();
		if (pinned === id)
			show(id, true);
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
	/* Accept and reject buttons for flag 'id' into 'box'; 'short' for the flag list. */
	function btns(id, box, short) {
		['accept', 'reject'].forEach(function (c) {
			var b = document.createElement('button');
			b.dataset.d = c;
			b.className = (c === 'accept' ? 'acc' : 'rej') + (dec(id) === c ? ' on' : '');
			if (short) {
				b.textContent = c === 'accept' ? '\u2713' : '\u2717';
				b.title = c === 'accept' ? 'Accept: the flag is right (a)' : 'Reject: a false alarm (r)';
			} else {
				b.textContent = c === 'accept' ? '\u2713 Accept' : '\u2717 Reject';
			}
			b.addEventListener('click', function (e) { e.stopPropagation(); decide(id, c); });
			box.appendChild(b);
			box.appendChild(document.createTextNode(' '));
		});
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
		if (pin) {
			var b = document.createElement('div');
			b.className = 'btns';
			btns(id, b, false);
			tip.appendChild(b);
		} else {
			row(tip, '', 'click to review');
		}
		tip.hidden = false;
		var r = m.getBoundingClientRect(), w = tip.offsetWidth;
		tip.style.left = Math.max(8, Math.min(window.scrollX + r.left,
			window.scrollX + document.documentElement.clientWidth - w - 8)) + 'px';
		tip.style.top = (window.scrollY + r.bottom + 8) + 'px';
	}
	function hide() { if (pinned === null) tip.hidden = true; }
	function pin(id, scroll) {
		if (!D.anns[id])
			return;
		document.querySelectorAll('.sel').forEach(function (e) { e.classList.remove('sel'); });
		pinned = id;
		marks(id).forEach(function (m) { m.classList.add('sel'); });
		var li = item(id);
		if (li) {
			li.classList.add('sel');
			li.scrollIntoView({ block: 'nearest' });
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
		if (!e.target.closest('#tip')) {
			pinned = null;
			document.querySelectorAll('.sel').forEach(function (x) { x.classList.remove('sel'); });
			tip.hidden = true;
		}
	});
	document.addEventListener('keydown', function (e) {
		if (e.key === 'Escape') {
			pinned = null;
			tip.hidden = true;
		} else if (pinned !== null && (e.key === 'a' || e.key === 'r')) {
			decide(pinned, e.key === 'a' ? 'accept' : 'reject');
		}
	});
	/* The flag list's buttons: made here, since they do nothing without the script. */
	document.querySelectorAll('.flags li[data-f]').forEach(function (li) {
		var box = document.createElement('span');
		box.className = 'btns';
		btns(li.dataset.f, box, true);
		li.insertBefore(box, li.querySelector('.why'));
	});
	document.querySelectorAll('.legend input').forEach(function (c) {
		c.addEventListener('change', function () {
			document.body.classList.toggle('hide-' + c.value, !c.checked);
		});
	});
	document.getElementById('export').addEventListener('click', function () {
		var out = [];
		Object.keys(D.anns).forEach(function (id) {
			var d = S[key(D.anns[id])];
			if (d)
				out.push(d);
		});
		download('decisions-' + D.file + '.json', { format: 1, kind: 'slant-decisions',
			exported: new Date().toISOString(), decisions: out });
	});
	document.getElementById('clear').addEventListener('click', function () {
		if (confirm('Forget every decision on this article?')) {
			S = {};
			save();
			Object.keys(D.anns).forEach(paint);
			counts();
		}
	});
	Object.keys(D.anns).forEach(paint);
	counts();
	var h = /^#a([0-9]+)$/.exec(location.hash);
	if (h)
		pin(h[1], true);
})();
