//! Page links under a list (the KRDS pagination): numbered links around the current
//! page, previous and next; `_pagination.html` draws them.

/// One numbered link.
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

pub struct Pagination {
    pub links: Vec<PageLink>,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The page shown (from 1) and how many there are.
    pub page: usize,
    pub pages: usize,
}

/// How many numbered links show at once.
const WINDOW: usize = 10;

impl Pagination {
    /// `total` rows in pages of `size`; `page` asked for (clamped); `url_of(n)` links page n.
    pub fn new(total: usize, size: usize, page: usize, url_of: impl Fn(usize) -> String) -> Pagination {
        let pages = total.div_ceil(size.max(1)).max(1);
        let page = page.clamp(1, pages);
        let first = page.saturating_sub(WINDOW / 2).max(1).min(pages.saturating_sub(WINDOW - 1).max(1));
        let last = (first + WINDOW - 1).min(pages);
        Pagination {
            links: (first..=last)
                .map(|number| PageLink { number, url: url_of(number), current: number == page })
                .collect(),
            previous: (page > 1).then(|| url_of(page - 1)),
            next: (page < pages).then(|| url_of(page + 1)),
            page,
            pages,
        }
    }

    /// The offset of the first row of the page shown.
    pub fn offset(&self, size: usize) -> usize {
        (self.page - 1) * size
    }

    pub fn is_needed(&self) -> bool {
        self.pages > 1
    }
}

/// The page asked for in a query (`?page=3`), 1 when absent or not a number.
pub fn requested(page: Option<&str>) -> usize {
    page.and_then(|p| p.trim().parse::<usize>().ok()).filter(|p| *p >= 1).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_surround_the_current_page() {
        let p = Pagination::new(95, 20, 3, |n| format!("?page={n}"));
        assert_eq!(p.pages, 5);
        assert_eq!(p.links.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        assert_eq!(p.previous.as_deref(), Some("?page=2"));
        assert_eq!(p.offset(20), 40);
        let far = Pagination::new(1000, 10, 99, |n| n.to_string());
        assert_eq!(far.page, 99);
        assert_eq!(far.links.first().unwrap().number, 91);
        assert_eq!(far.links.last().unwrap().number, 100);
        assert!(far.next.is_some());
        let beyond = Pagination::new(5, 20, 9, |n| n.to_string());
        assert_eq!((beyond.page, beyond.is_needed()), (1, false));
    }
}
